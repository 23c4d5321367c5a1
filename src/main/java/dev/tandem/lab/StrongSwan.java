package dev.tandem.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One unmodified strongSwan charon in a lab namespace, doing ESP in userspace
 * through kernel-libipsec (a TUN device, ipsec0, and ESP-in-UDP on 4500),
 * the recipe of ../shared/lab/strongswan re-expressed for the Java lab.
 * {@link Lab#close} ends it with the rest of the namespace.
 */
final class StrongSwan {

    static final String CHARON = "/usr/lib/ipsec/charon";

    /**
     * What kernel-libipsec logs (level 1) when it drops an inbound ESP packet
     * (strongSwan 5.9.8 src/libipsec/esp_packet.c, esp_context.c, processor.c):
     * replay, bad ICV, unknown SPI.
     */
    static final List<String> ESP_FAILURES = List.of("ESP sequence number verification failed",
            "ESP decryption or ICV verification failed", "inbound ESP packet does not belong to an installed SA");
    /**
     * What charon logs for any negotiation or loss of an SA (see
     * docs/strongswan-interop-notes.md): a takeover the peer never notices
     * shows none of them.
     */
    static final List<String> NEGOTIATIONS = List.of("initiating Main Mode",
            "is initiating a Main Mode", "] established between", "established with SPIs", "DPD check timed out",
            "restarting CHILD_SA", "reauthenticating IKE_SA", "DELETE for", "deleting IKE_SA", "closing CHILD_SA",
            "establishing IKE_SA failed", "retransmit");
    /** What charon logs when an IKE_SA (an IKEv1 main mode) is established. */
    static final String IKE_ESTABLISHED = "] established between";

    private final Lab lab;
    private final String node;
    private final StrongSwanConfig config;
    private final Lab.Background charon;

    private StrongSwan(Lab lab, String node, StrongSwanConfig config, Lab.Background charon) {
        this.lab = lab;
        this.node = node;
        this.config = config;
        this.charon = charon;
    }

    /**
     * Writes the instance's files, starts charon in {@code node}, waits until
     * its worker threads run (the vici socket exists before that) and loads
     * the connection and the PSK. With start_action start or trap, loading
     * the connection is what starts or traps it.
     */
    static StrongSwan start(Lab lab, String node, StrongSwanConfig config) throws IOException, InterruptedException {
        return start(lab, node, config, config.strongswanConf(), config.swanctlConf());
    }

    /** Like {@link #start(Lab, String, StrongSwanConfig)} with the two files' texts as given (a benchmark's tuning). */
    static StrongSwan start(Lab lab, String node, StrongSwanConfig config, String strongswanConf, String swanctlConf)
            throws IOException, InterruptedException {
        Path dir = config.dir();
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        Files.createDirectories(config.swanctlDir());
        Path conf = dir.resolve("strongswan.conf");
        Files.writeString(conf, strongswanConf);
        Path swanctl = config.swanctlDir().resolve("swanctl.conf");
        Files.writeString(swanctl, swanctlConf);
        Files.setPosixFilePermissions(swanctl, PosixFilePermissions.fromString("rw-------"));
        // charon 5.9 writes its pid file to the fixed path /var/run/charon.pid
        // and refuses to start if another charon holds it: a private mount
        // namespace with the instance's own directory over /run gives each
        // lab gateway its own.
        Lab.Background charon = lab.spawnReady(node, "worker threads",
                "env", "STRONGSWAN_CONF=" + conf,
                "unshare", "--mount", "--propagation", "private", "--",
                "sh", "-c", "mount --bind \"$1\" /run && exec \"$2\"", "sh", run.toString(), CHARON);
        StrongSwan s = new StrongSwan(lab, node, config, charon);
        s.swanctl("--load-creds", "--noprompt");
        s.swanctl("--load-conns");
        return s;
    }

    /** The process that becomes charon (its CPU time, with its descendants'). */
    Process process() {
        return charon.process();
    }

    StrongSwanConfig config() {
        return config;
    }

    /**
     * Brings up {@code child} (and its IKE_SA if there is none); swanctl
     * --initiate returns only once the exchanges have completed and charon
     * has installed the SAs and the route into ipsec0, so no polling is
     * needed.
     *
     * @throws IOException with charon's log when it fails or times out
     */
    void initiate(String child, Duration timeout) throws IOException, InterruptedException {
        Lab.Result r = tryInitiate(child, timeout);
        if (r.status() != 0) {
            throw new IOException("swanctl --initiate " + child + " in " + node + " failed:\n" + r.out()
                    + "\ncharon log:\n" + log());
        }
    }

    /** Like {@link #initiate} for an attempt that may fail: swanctl's status and output. */
    Lab.Result tryInitiate(String child, Duration timeout) throws IOException, InterruptedException {
        return run("--initiate", "--child", child, "--timeout", Long.toString(timeout.toSeconds()));
    }

    /** Deletes the IKE_SA with its CHILD_SAs, waiting for the peer's answer. */
    void terminate(Duration timeout) throws IOException, InterruptedException {
        swanctl("--terminate", "--ike", StrongSwanConfig.CONN, "--timeout", Long.toString(timeout.toSeconds()));
    }

    /**
     * swanctl --rekey --child: a new quick mode for {@code child} (IKEv1 has
     * no other kind of rekey); returns once charon has queued it, the new
     * CHILD_SA's "established" line says it is done.
     */
    void rekeyChild(String child) throws IOException, InterruptedException {
        swanctl("--rekey", "--child", child);
    }

    /**
     * swanctl --rekey --reauth --ike: the IKEv1 phase 1 rekey strongSwan does
     * (it never rekeys an ISAKMP SA in place): a new main mode, and the
     * CHILD_SAs move over to it. The old ISAKMP SA stays, without children,
     * until its hard lifetime (reauth_time + over_time) deletes it; {@link
     * #terminateIke} does that at once.
     */
    void reauthenticate(String ike) throws IOException, InterruptedException {
        swanctl("--rekey", "--reauth", "--ike", ike);
    }

    /** swanctl --terminate --ike-id: deletes one IKE_SA (a Delete to the peer) with whatever CHILD_SAs it has. */
    void terminateIke(int id, Duration timeout) throws IOException, InterruptedException {
        swanctl("--terminate", "--ike-id", Integer.toString(id), "--timeout", Long.toString(timeout.toSeconds()));
    }

    /** The IKE_SAs and CHILD_SAs charon has now, with their SPIs and counters. */
    List<SwanctlSas.IkeSa> sas() throws IOException, InterruptedException {
        return SwanctlSas.parse(listSas());
    }

    /**
     * charon's one established IKE_SA with its one installed CHILD_SA {@link
     * StrongSwanConfig#CHILD}.
     *
     * @throws IllegalStateException with swanctl's list when there is not exactly that
     */
    SwanctlSas.IkeSa established() throws IOException, InterruptedException {
        String list = listSas();
        List<SwanctlSas.IkeSa> sas = SwanctlSas.parse(list).stream().filter(i -> i.state().equals("ESTABLISHED"))
                .toList();
        if (sas.size() != 1 || sas.get(0).child(StrongSwanConfig.CHILD).isEmpty()
                || sas.get(0).children().stream().filter(c -> c.state().equals("INSTALLED")).count() != 1) {
            throw new IllegalStateException("not one established IKE_SA with one installed CHILD_SA "
                    + StrongSwanConfig.CHILD + ":\n" + list);
        }
        return sas.get(0);
    }

    /** Lines charon logged from {@code mark} on that contain any of {@code texts}. */
    List<String> logged(int mark, List<String> texts) {
        List<LogLines.Line> lines = log().lines();
        return lines.subList(mark, lines.size()).stream().map(LogLines.Line::text)
                .filter(x -> texts.stream().anyMatch(x::contains)).toList();
    }

    /** swanctl --list-sas: SPIs, encapsulation, byte and packet counters. */
    String listSas() throws IOException, InterruptedException {
        return swanctl("--list-sas");
    }

    /** Everything charon logged, line by line as it came: tests await lines in it. */
    LogLines log() {
        return charon.out();
    }

    /** kill -9: charon vanishes without a word to its peer, as a crashed gateway would. */
    void kill() throws InterruptedException, IOException {
        charon.process().destroyForcibly();
        if (!charon.process().waitFor(10, TimeUnit.SECONDS)) {
            throw new IOException("charon in " + node + " survived SIGKILL");
        }
    }

    private String swanctl(String... args) throws IOException, InterruptedException {
        Lab.Result r = run(args);
        if (r.status() != 0) {
            throw new IOException("swanctl " + String.join(" ", args) + " in " + node + " failed:\n" + r.out()
                    + "\ncharon log:\n" + log());
        }
        return r.out();
    }

    private Lab.Result run(String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 6];
        cmd[0] = "env";
        cmd[1] = "STRONGSWAN_CONF=" + config.dir().resolve("strongswan.conf");
        cmd[2] = "SWANCTL_DIR=" + config.swanctlDir();
        cmd[3] = "swanctl";
        System.arraycopy(args, 0, cmd, 4, args.length);
        cmd[cmd.length - 2] = "--uri";
        cmd[cmd.length - 1] = "unix://" + config.vici();
        return lab.exec(node, cmd);
    }
}
