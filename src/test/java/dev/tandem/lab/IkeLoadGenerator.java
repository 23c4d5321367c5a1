package dev.tandem.lab;

import dev.tandem.dataplane.DatagramBatch;
import dev.tandem.esp.EspTransform;
import dev.tandem.esp.Integrity;
import dev.tandem.ike.IkeDaemon;
import dev.tandem.ike.IkeEndpoint;
import dev.tandem.ike.IkePort;
import dev.tandem.ike.crypto.DhGroup;
import dev.tandem.ike.crypto.IkeCipher;
import dev.tandem.ike.crypto.Prf;
import dev.tandem.ike.policy.ExchangeMode;
import dev.tandem.ike.policy.IkePolicy;
import dev.tandem.ike.policy.Phase1Policy;
import dev.tandem.ike.policy.Phase1Transform;
import dev.tandem.ike.policy.Phase2Policy;
import dev.tandem.ike.policy.Phase2Transform;
import dev.tandem.loop.ThreadEventLoop;
import dev.tandem.loop.Timer;
import dev.tandem.net.IpAddress;
import dev.tandem.net.IpNet;
import dev.tandem.os.LinuxUdpEspPort;
import dev.tandem.os.UdpIkePort;
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SadbEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The IKEv1 load generator of bench/ike-negotiations, run inside a lab
 * namespace: {@code --concurrency} slots, each with its own source address
 * and its own {@link IkeDaemon} (the real engine, with an in-memory SADB)
 * negotiating main mode and one quick mode with the responder. When the
 * quick mode is installed the slot counts it, deletes both SAs at the
 * responder (DELETE, so the responder's state stays bounded), discards the
 * daemon and starts a fresh one: fresh cookies, so every negotiation is a
 * full phase 1 + phase 2. All daemons share one event loop and the sockets
 * on UDP 500 and 4500; replies reach their daemon by initiator cookie.
 * Prints one {@code RESULT} line: negotiations completed in the measured
 * window after the warm-up, per second, timeouts, retransmissions, the
 * median time of one negotiation and this process's CPU time.
 *
 * <pre>
 * --responder A    the responder's address (port 500)
 * --first-source A the first slot's address; slot i uses A + i (all assigned to this node)
 * --concurrency N  negotiations outstanding at once (default 16)
 * --warmup S       seconds before the window (default 5)
 * --seconds S      the measured window (default 10)
 * --pfs            quick mode with PFS (MODP-2048)
 * --psk-file F     the pre-shared key
 * </pre>
 */
public final class IkeLoadGenerator {

    static final String LOCAL_NET = "10.1.0.0/24";
    static final String REMOTE_NET = "10.2.0.0/24";
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** The quick mode connection of every slot. */
    static final String BENCH = "bench";
    private static final IkeDaemon.Options OPTIONS = new IkeDaemon.Options(64, 1024, Duration.ofSeconds(2), 4);

    private final ThreadEventLoop loop = new ThreadEventLoop("ike-load");
    private final SecureRandom random = new SecureRandom();
    private final IpAddress responder;
    private final byte[] psk;
    private final boolean pfs;
    private final UdpIkePort sockets;
    /** Initiator cookie to the slot daemon that sent it; only the loop touches it. */
    private final Map<Long, Attempt> byCookie = new HashMap<>();

    private long windowStart = Long.MAX_VALUE;
    private long windowEnd = Long.MAX_VALUE;
    private boolean stopping;
    private long completed;
    private long timeouts;
    private long retransmits;
    private final List<Long> latencies = new ArrayList<>();

    /** One negotiation of one slot: a fresh daemon with its own SADB. */
    private final class Attempt {
        final int slot;
        final IpAddress source;
        final long started = loop.nanoTime();
        final List<Long> cookies = new ArrayList<>();
        IkeDaemon daemon;
        Timer timeout = Timer.NONE;
        boolean over;

        Attempt(int slot, IpAddress source) {
            this.slot = slot;
            this.source = source;
        }
    }

    private IkeLoadGenerator(IpAddress responder, byte[] psk, boolean pfs, UdpIkePort sockets) {
        this.responder = responder;
        this.psk = psk;
        this.pfs = pfs;
        this.sockets = sockets;
    }

    public static void main(String[] args) throws Exception {
        String responder = null;
        String first = null;
        Path pskFile = null;
        int concurrency = 16;
        int warmup = 5;
        int seconds = 10;
        boolean pfs = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--pfs")) {
                pfs = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--responder" -> responder = v;
                case "--first-source" -> first = v;
                case "--psk-file" -> pskFile = Path.of(v);
                case "--concurrency" -> concurrency = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (responder == null || first == null || pskFile == null) {
            throw new IllegalArgumentException("--responder, --first-source and --psk-file are required");
        }
        IpAddress firstSource = IpAddress.parseV4(first).orElseThrow();
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency below 1");
        }
        offset(firstSource, concurrency - 1);
        byte[] psk = Files.readString(pskFile).strip().getBytes(StandardCharsets.UTF_8);
        LinuxUdpEspPort ike = LinuxUdpEspPort.open(null, IkeEndpoint.IKE_PORT, false);
        LinuxUdpEspPort natT = LinuxUdpEspPort.open(null, IkeEndpoint.NAT_T_PORT, false);
        ike.reportDestinations();
        natT.reportDestinations();
        IkeLoadGenerator g = new IkeLoadGenerator(IpAddress.parseV4(responder).orElseThrow(), psk, pfs,
                new UdpIkePort(ike, natT, System::nanoTime));
        g.reader(ike, IkeEndpoint.IKE_PORT);
        g.reader(natT, IkeEndpoint.NAT_T_PORT);
        g.run(firstSource, concurrency, warmup, seconds);
        ike.close();
        natT.close();
        System.exit(0);
    }

    private void run(IpAddress first, int concurrency, int warmup, int seconds) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        long[] cpu = new long[2];
        loop.execute(() -> {
            for (int i = 0; i < concurrency; i++) {
                start(i, offset(first, i));
            }
            loop.schedule(Duration.ofSeconds(warmup), () -> {
                windowStart = loop.nanoTime();
                cpu[0] = cpuTicks();
                // the bench samples the responder's CPU time on these two lines
                System.out.println("WINDOW start");
                loop.schedule(Duration.ofSeconds(seconds), () -> {
                    windowEnd = loop.nanoTime();
                    cpu[1] = cpuTicks();
                    System.out.println("WINDOW end");
                    stopping = true;
                    done.countDown();
                });
            });
        });
        done.await();
        double window = (windowEnd - windowStart) / 1e9;
        List<Long> sorted = latencies.stream().sorted().toList();
        double medianMs = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e6;
        // ticks of 10 ms (USER_HZ 100) over the window: one core busy = 100 %
        double cpuPercent = (cpu[1] - cpu[0]) * 10.0 / (window * 1000) * 100;
        System.out.printf(Locale.ROOT, "RESULT completed=%d seconds=%.2f rate=%.1f timeouts=%d retransmits=%d"
                + " median_ms=%.1f cpu_percent=%.0f%n", completed, window, completed / window, timeouts, retransmits,
                medianMs, cpuPercent);
    }

    /** A fresh daemon on {@code slot}; its phase 1 starts at once (an active connection). */
    private void start(int slot, IpAddress source) {
        Attempt a = new Attempt(slot, source);
        Sadb sadb = new Sadb(loop::nanoTime);
        // the quick mode's SAs are in: the negotiation is complete (finish after the install returns)
        sadb.subscribe(e -> {
            if (e instanceof SadbEvent.Added && !a.over) {
                a.over = true;
                loop.execute(() -> finish(a, true));
            }
        });
        IkePort port = (local, localPort, remote, message) -> {
            long cookie = cookie(message, 0);
            if (!a.cookies.contains(cookie)) {
                a.cookies.add(cookie);
                byCookie.put(cookie, a);
            }
            sockets.send(local, localPort, remote, message);
        };
        a.daemon = new IkeDaemon(loop, sadb, port, random, OPTIONS);
        a.daemon.start();
        a.daemon.configure(policy(source));
        a.timeout = loop.schedule(TIMEOUT, () -> {
            if (!a.over) {
                a.over = true;
                finish(a, false);
            }
        });
    }

    private void finish(Attempt a, boolean ok) {
        long now = loop.nanoTime();
        a.timeout.cancel();
        if (ok && now >= windowStart && now < windowEnd) {
            completed++;
            latencies.add(now - a.started);
        } else if (!ok && now >= windowStart && now < windowEnd) {
            timeouts++;
        }
        if (now >= windowStart && now < windowEnd) {
            retransmits += a.daemon.status().counters().getOrDefault("retransmits", 0L);
        }
        // DELETE for the ESP SAs, then for the ISAKMP SA: the responder drops its state as a real peer makes it
        a.daemon.teardown(BENCH);
        a.daemon.configure(IkePolicy.EMPTY);
        a.daemon.close();
        for (long c : a.cookies) {
            byCookie.remove(c);
        }
        if (!stopping) {
            start(a.slot, a.source);
        }
    }

    private IkePolicy policy(IpAddress source) {
        Phase1Policy p1 = new Phase1Policy("peer-" + responder, responder, source, ExchangeMode.MAIN,
                List.of(Phase1Transform.exactly(IkeCipher.AES_128_CBC, Prf.HMAC_SHA1, DhGroup.MODP_2048, 3600)),
                psk, null, null, 0);
        Phase2Policy p2 = new Phase2Policy(BENCH, p1.name(), net(LOCAL_NET), net(REMOTE_NET), 0, 0,
                0, List.of(new Phase2Transform(new EspTransform.AesCbcHmac(16, Integrity.HMAC_SHA2_256_128), 128, 128,
                        true, pfs ? DhGroup.MODP_2048 : null, 1200)), true);
        return new IkePolicy(List.of(p1), List.of(p2));
    }

    /** Reads one socket on its own thread and hands each ISAKMP message to the loop. */
    private void reader(LinuxUdpEspPort socket, int localPort) {
        int skip = localPort == IkeEndpoint.NAT_T_PORT ? 4 : 0;
        Thread.ofPlatform().name("ike-load-rx-" + localPort).daemon().start(() -> {
            DatagramBatch b = new DatagramBatch(65_536);
            try {
                while (socket.receive(b) >= 0) {
                    for (int i = 0; i < b.packets.count(); i++) {
                        int off = b.packets.offset(i);
                        int len = b.packets.length(i);
                        // on 4500 only what starts with the non-ESP marker is IKE (keep-alives, ESP are not)
                        if (len < skip + 28 || (skip > 0 && cookie(b.packets.buf, off) >>> 32 != 0)) {
                            continue;
                        }
                        byte[] m = new byte[len - skip];
                        System.arraycopy(b.packets.buf, off + skip, m, 0, m.length);
                        IkeEndpoint from = new IkeEndpoint(b.peer, b.peerPort);
                        IpAddress local = b.local;
                        loop.execute(() -> deliver(from, local, localPort, m));
                    }
                }
            } catch (IOException e) {
                System.err.println("ike-load: UDP " + localPort + ": " + e.getMessage());
            }
        });
    }

    private void deliver(IkeEndpoint from, IpAddress local, int localPort, byte[] message) {
        Attempt a = byCookie.get(cookie(message, 0));
        if (a != null && !a.over) {
            a.daemon.receive(from, local, localPort, message);
        }
    }

    private static IpNet net(String s) {
        IpAddress.Net n = IpAddress.parseV4Net(s).orElseThrow();
        return new IpNet(n.address(), n.bits());
    }

    private static long cookie(byte[] b, int off) {
        long c = 0;
        for (int i = 0; i < 8; i++) {
            c = c << 8 | (b[off + i] & 0xff);
        }
        return c;
    }

    private static IpAddress offset(IpAddress first, int i) {
        byte[] b = first.octets();
        int last = (b[3] & 0xff) + i;
        if (last > 254) {
            throw new IllegalArgumentException("too many slots after " + first);
        }
        b[3] = (byte) last;
        return new IpAddress(b);
    }

    /** This process's user + system CPU time in clock ticks (/proc/self/stat fields 14 and 15). */
    private static long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException e) {
            return 0;
        }
    }
}
