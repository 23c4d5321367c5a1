package dev.tandem.daemon;

import dev.tandem.carp.Carp;
import dev.tandem.carp.CarpStatus;
import dev.tandem.carp.VipGate;
import dev.tandem.conf.carp.CarpConf;
import dev.tandem.conf.sasyncd.RunMode;
import dev.tandem.conf.sasyncd.SasyncdConf;
import dev.tandem.os.TcpStreamTransport;
import dev.tandem.sync.HandOver;
import dev.tandem.sync.IkePassiveMode;
import dev.tandem.sync.Replicator;
import dev.tandem.sync.SyncStatus;
import dev.tandem.conf.ipsec.NetDb;
import dev.tandem.control.ControlHandler;
import dev.tandem.control.ControlServer;
import dev.tandem.control.Message;
import dev.tandem.control.SadbCodec;
import dev.tandem.control.SadbPrinter;
import dev.tandem.dataplane.DataPlane;
import dev.tandem.dataplane.PacketBatch;
import dev.tandem.loop.ThreadEventLoop;
import dev.tandem.conf.isakmpd.ConfCommand;
import dev.tandem.control.IkeCommandCodec;
import dev.tandem.control.IkeSaPrinter;
import dev.tandem.ike.IkeDaemon;
import dev.tandem.ike.policy.IkePolicyException;
import dev.tandem.os.IkeInbox;
import dev.tandem.os.IkeListener;
import dev.tandem.os.UdpIkePort;
import dev.tandem.os.IpCommand;
import dev.tandem.os.LinuxAddressManager;
import dev.tandem.os.LinuxCarpLink;
import dev.tandem.os.LinuxClearPort;
import dev.tandem.os.LinuxRawEsp;
import dev.tandem.os.LinuxTun;
import dev.tandem.os.LinuxUdpEspPort;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.SaSpec;
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SadbEvent;
import dev.tandem.sadb.SadbException;
import dev.tandem.sadb.SecurityAssociation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gateway node: the SADB, the data plane on a TUN device with ESP on
 * UDP 4500 and raw IP protocol 50, the IKE daemon on UDP 500 (and 4500,
 * behind the non-ESP marker), the control socket, and the rules of
 * DIR/ipsec.conf. Control-plane work (requests, reloads, lifetime ticks,
 * IKE) runs on one thread, so the SADB has a single writer.
 */
public final class Tandemd implements ControlHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Tandemd.class);

    /**
     * @param dir          configuration directory (ipsec.conf; the control socket by default)
     * @param control      control socket path
     * @param tun          name of the TUN device to create
     * @param mtu          its MTU: room for ESP-in-UDP overhead under a 1500-byte path
     * @param replayWindow anti-replay window of SAs from ipsec.conf
     * @param udpPort      port of ESP-in-UDP
     * @param routes       route flows' remote networks into the TUN device
     * @param routeTable   routing table of those routes, also the priority of its rule and the
     *                     firewall mark of packets sent past the tunnel
     * @param offload      exchange super-packets with the kernel (segmentation offloads, UDP GSO/GRO)
     * @param ikePort      UDP port of IKE (500; another only for tests, peers send to 500)
     */
    public record Options(Path dir, Path control, String tun, int mtu, int replayWindow, int udpPort,
                          boolean routes, int routeTable, boolean offload, int ikePort) { }

    private final Options options;
    private final ThreadEventLoop loop = new ThreadEventLoop("control-plane");
    private final Sadb sadb = new Sadb(System::nanoTime);
    private final SadbPrinter printer = new SadbPrinter(NetDb.system());
    private final TunnelRoutes routes;
    private IpsecConfFile.Contents installed = IpsecConfFile.Contents.EMPTY;
    private LinuxTun tun;
    private LinuxUdpEspPort udp;
    private DataPlane dataPlane;
    private ControlServer control;
    private CarpConf carpConf = CarpConf.EMPTY;
    private Carp carp;
    private LinuxAddressManager addresses;
    private TcpStreamTransport tcp;
    private Replicator replicator;
    private SasyncdConf syncConf;
    private ScriptHooks hooks;
    private IkeInbox ikeInbox;
    private IkeListener ikeListener;
    private UdpIkePort ikePort;
    private IkeDaemon ike;
    private final IkeConfiguration ikeConfig = new IkeConfiguration(p -> ike.configure(p), c -> ike.teardown(c));

    private Tandemd(Options options) {
        this.options = options;
        this.routes = new TunnelRoutes(options.tun(), options.routeTable(), options.routes());
    }

    public Path ipsecConf() {
        return options.dir().resolve("ipsec.conf");
    }

    public Path carpConf() {
        return options.dir().resolve("carp.conf");
    }

    /** Loads the configuration and brings everything up; throws when the node cannot run. */
    public static Tandemd start(Options options) throws IOException, ConfigError {
        Tandemd d = new Tandemd(options);
        try {
            d.call(() -> {
                d.sadb.subscribe(d.routes::on);
                d.sadb.subscribe(e -> LOG.info("sadb: {}", d.printer.event(e).strip()));
                return null;
            });
            IpsecConfFile.Contents contents = IpsecConfFile.load(d.ipsecConf(), options.replayWindow(),
                    w -> LOG.warn("{}", w));
            d.carpConf = CarpConfFile.load(d.carpConf());
            d.tun = LinuxTun.open(options.tun(), options.offload());
            try {
                // no link-local address: else the kernel's router solicitations and MLD reports
                // come out of the device as if they were traffic for the tunnel
                IpCommand.run("link", "set", "dev", options.tun(), "addrgenmode", "none");
            } catch (IOException e) {
                LOG.debug("no IPv6 on {}: {}", options.tun(), e.getMessage());
            }
            if (d.tun.offload()) {
                try {
                    // a super-packet of more segments than a batch holds is split by the kernel instead
                    IpCommand.run("link", "set", "dev", options.tun(), "gso_max_segs",
                            Integer.toString(PacketBatch.MAX_PACKETS));
                } catch (IOException e) {
                    LOG.warn("cannot limit segments per super-packet on {}: {}", options.tun(), e.getMessage());
                }
            }
            IpCommand.run("link", "set", "dev", options.tun(), "mtu", Integer.toString(options.mtu()), "up");
            d.udp = LinuxUdpEspPort.open(null, options.udpPort(), options.offload());
            // IKE after NAT-T answers from the address the peer sent to (a VIP on a cluster)
            d.udp.reportDestinations();
            d.ikeInbox = new IkeInbox(d.loop, (from, local, port, message) -> d.ike.receive(from, local, port,
                    message));
            d.ikeListener = IkeListener.open(options.ikePort(), d.ikeInbox);
            d.ikePort = new UdpIkePort(d.ikeListener.port(), d.udp, d.loop::nanoTime);
            d.ike = d.call(() -> new IkeDaemon(d.loop, d.sadb, d.ikePort, new SecureRandom(),
                    new IkeDaemon.Options(options.replayWindow(), IkeDaemon.Options.DEFAULT.maxHalfOpen(),
                            IkeDaemon.Options.DEFAULT.retransmitFirst(), IkeDaemon.Options.DEFAULT.retransmitLimit())));
            LinuxRawEsp raw = LinuxRawEsp.open(null);
            LinuxClearPort clear = LinuxClearPort.open(options.routeTable());
            d.dataPlane = new DataPlane(d.sadb, d.tun, d.udp, raw, clear, d.ikeInbox::natT);
            d.routes.install();
            d.call(() -> {
                d.apply(contents);
                return null;
            });
            d.loop.executor().scheduleAtFixedRate(d.sadb::tick, 1, 1, TimeUnit.SECONDS);
            // replication first: on a cluster node it holds outbound ESP until the node is master,
            // and that must be in place before the first packet (a restarted node's counters are stale)
            d.startCarp();
            d.dataPlane.start();
            d.call(() -> {
                d.ike.start();
                return null;
            });
            d.ikeListener.start();
            d.control = ControlServer.start(options.control(), d);
            LOG.info("tandemd running: {} SAs, {} flows from {}, device {}, control {}", contents.sas().size(),
                    contents.flows().size(), d.ipsecConf(), options.tun(), options.control());
            return d;
        } catch (IOException | ConfigError | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void startCarp() throws IOException, ConfigError {
        SasyncdConf sync = SasyncdConfFile.load(sasyncdConf());
        if (sync != null && sync.mode() == RunMode.CARP && carpConf.interfaces().stream()
                .noneMatch(i -> i.name().equals(sync.interfaceName()))) {
            throw new ConfigError(List.of(sasyncdConf() + ": interface " + sync.interfaceName() + " is not in "
                    + carpConf()));
        }
        if (carpConf.interfaces().isEmpty()) {
            startSync(sync, null);
            call(() -> {
                new IkePassiveMode(sync, loop, ike::passive).follow(null);
                return null;
            });
            return;
        }
        if (carpConf.interfaces().stream().anyMatch(i -> i.vips().stream()
                .anyMatch(v -> v.family() == dev.tandem.net.IpAddress.Family.INET))) {
            // while BACKUP the node does not hold the VIP, yet IKE and others must be able to bind it
            NonlocalBindSetting.ensure();
        }
        addresses = new LinuxAddressManager();
        hooks = new ScriptHooks();
        carp = call(() -> Carp.open(carpConf, loop, new LinuxCarpLink.Factory(loop), addresses, Carp::authFor,
                hooks));
        // replication and the VIP gate follow carp from its first transition on, so they start in between
        call(() -> VipGate.install(carp, sadb, loop, carpConf.interfaces().stream()
                .flatMap(i -> i.vips().stream()).toList()));
        startSync(sync, carp);
        call(() -> {
            new IkePassiveMode(sync, loop, ike::passive).follow(carp);
            carp.start();
            return null;
        });
        LOG.info("carp: {} interfaces from {}", carpConf.interfaces().size(), carpConf());
    }

    private void startSync(SasyncdConf sync, Carp c) throws IOException, ConfigError {
        if (sync == null) {
            return;
        }
        syncConf = sync;
        tcp = TcpStreamTransport.open(loop);
        replicator = call(() -> {
            Replicator r = new Replicator(sync, loop, sadb, tcp, c, new java.security.SecureRandom(),
                    Replicator.Options.DEFAULT);
            r.replicateIke(ike);
            r.start();
            return r;
        });
        LOG.info("sync: {} peers from {}, port {}", sync.peers().size(), sasyncdConf(), sync.port());
    }

    public Path sasyncdConf() {
        return options.dir().resolve("sasyncd.conf");
    }

    /** Runs {@code task} on the control-plane thread and waits for it. */
    private <T> T call(Callable<T> task) throws IOException, ConfigError {
        try {
            return loop.executor().submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case ConfigError c -> throw c;
                case RuntimeException r -> throw r;
                default -> throw new IOException(e.getCause());
            }
        }
    }

    /** Installs the file's SAs and flows, replacing what the previous version of the file installed. */
    private void apply(IpsecConfFile.Contents next) throws SadbException {
        Map<dev.tandem.sadb.SaId, SaSpec> oldSas = new HashMap<>();
        installed.sas().forEach(s -> oldSas.put(s.id(), s));
        Map<Flow.Key, Flow> oldFlows = new HashMap<>();
        installed.flows().forEach(f -> oldFlows.put(f.key(), f));
        int added = 0;
        int changed = 0;
        for (SaSpec s : next.sas()) {
            SaSpec old = oldSas.remove(s.id());
            if (old == null) {
                if (sadb.get(s.id()) != null) {
                    sadb.update(s);
                } else {
                    sadb.add(s);
                }
                added++;
            } else if (!old.equals(s)) {
                sadb.update(s);
                changed++;
            }
        }
        for (dev.tandem.sadb.SaId gone : oldSas.keySet()) {
            sadb.delete(gone);
        }
        List<Flow> newFlows = new ArrayList<>();
        for (Flow f : next.flows()) {
            Flow old = oldFlows.remove(f.key());
            if (!f.equals(old)) {
                newFlows.add(f);
            }
        }
        oldFlows.keySet().forEach(sadb::deleteFlow);
        sadb.addFlows(newFlows);
        installed = next;
        LOG.info("ipsec.conf applied: {} SAs added, {} changed, {} removed; {} flows added or changed, {} removed",
                added, changed, oldSas.size(), newFlows.size(), oldFlows.size());
        try {
            ikeConfig.file(next.ike());
            LOG.info("ike: {} phase 1 peers, {} connections", ikeConfig.policy().phase1().size(),
                    ikeConfig.policy().phase2().size());
        } catch (IkePolicyException e) {
            LOG.error("ike: the ike rules of {} together with those loaded by ipsecctl cannot run, "
                    + "the running IKE configuration stays: {}", ipsecConf(), e.getMessage());
        }
    }

    /** ipsecctl -f (or -d -f) with an ike rule: its isakmpd commands. */
    private Message ikeRule(List<ConfCommand> commands, boolean delete) {
        String why = ikeConfig.rule(commands, delete);
        if (why != null) {
            return error(why);
        }
        LOG.info("ike: connection {} {} by ipsecctl", IkeRules.connection(commands), delete ? "deleted" : "loaded");
        return ok();
    }

    /** SIGHUP: re-reads ipsec.conf and applies the difference; a bad file changes nothing. */
    public void reload() {
        loop.execute(() -> {
            try {
                if (!CarpConfFile.load(carpConf()).equals(carpConf)) {
                    LOG.warn("{} changed; carp interfaces change only when tandemd restarts "
                            + "(a reload must not drop a mastership)", carpConf());
                }
            } catch (ConfigError e) {
                LOG.warn("{} has problems (the running carp interfaces stay):\n{}", carpConf(), e.getMessage());
            }
            try {
                apply(IpsecConfFile.load(ipsecConf(), options.replayWindow(), w -> LOG.warn("{}", w)));
            } catch (ConfigError e) {
                LOG.error("{} not reloaded, the running rules stay:\n{}", ipsecConf(), e.getMessage());
            } catch (SadbException e) {
                LOG.error("{} only partly reloaded: {}", ipsecConf(), e.getMessage());
            }
        });
    }

    // ---- control requests -----------------------------------------------

    @Override
    public Message handle(Message request, Consumer<String> out) {
        try {
            return call(() -> dispatch(request, out));
        } catch (IOException | ConfigError | RuntimeException e) {
            LOG.error("control request {} failed: {}", request.verb(), e.toString());
            return error(e.getMessage());
        }
    }

    private static Message ok() {
        return Message.of("ok");
    }

    private static Message error(String why) {
        return new Message("error", Map.of("message", why == null ? "internal error" : why));
    }

    private Message dispatch(Message m, Consumer<String> out) {
        try {
            switch (m.verb()) {
                case "add-sa" -> sadb.add(SadbCodec.sa(m, options.replayWindow()));
                case "delete-sa" -> {
                    if (!sadb.delete(SadbCodec.saId(m))) {
                        return error("no such SA");
                    }
                }
                case "add-flow" -> sadb.addFlow(SadbCodec.flow(m));
                case "delete-flow" -> {
                    if (!sadb.deleteFlow(SadbCodec.flowKey(m))) {
                        return error("no such flow");
                    }
                }
                case "ike-add" -> {
                    return ikeRule(IkeCommandCodec.decode(m), false);
                }
                case "ike-delete" -> {
                    return ikeRule(IkeCommandCodec.decode(m), true);
                }
                case "flush" -> {
                    sadb.flush();
                    installed = IpsecConfFile.Contents.EMPTY;
                }
                case "show-flows" -> show(out, "yes".equals(m.get("all")), "yes".equals(m.get("collapse")), false, false,
                        true, false);
                case "show-sas" -> show(out, "yes".equals(m.get("all")), false, "yes".equals(m.get("keys")),
                        "yes".equals(m.get("verbose")), false, true);
                case "show-all" -> show(out, true, "yes".equals(m.get("collapse")), "yes".equals(m.get("keys")),
                        "yes".equals(m.get("verbose")), true, true);
                case "status" -> out.accept(StatusReport.of(sadb, dataPlane, options, tun, udp, carpStatus(), syncStatus(),
                        ike.status(), new IkeReport.Traffic(ikeInbox.received(), ikeInbox.dropped(),
                                ikeInbox.malformed(), ikePort.sent(), ikePort.failed()))
                        .render("yes".equals(m.get("json"))));
                case "carp-status" -> out.accept("yes".equals(m.get("json"))
                        ? dev.tandem.control.Json.write(CarpReport.json(carpStatus()))
                        : CarpReport.text(carpStatus()));
                case "sync-status" -> out.accept("yes".equals(m.get("json"))
                        ? dev.tandem.control.Json.write(SyncReport.json(syncStatus()))
                        : SyncReport.text(syncStatus()));
                case "carp-demote" -> {
                    if (carp == null) {
                        return error("no carp interfaces (" + carpConf() + " has none)");
                    }
                    if (m.get("delta") != null) {
                        try {
                            carp.demote(m.get("group"), Integer.parseInt(m.get("delta")));
                        } catch (IllegalArgumentException e) {
                            return error(e.getMessage());
                        }
                    }
                    StringBuilder sb = new StringBuilder();
                    carp.demotion().counters().forEach((g, v) -> sb.append(g).append(": carp demote count ")
                            .append(v).append('\n'));
                    out.accept(sb.toString());
                }
                default -> {
                    return error("unknown request " + m.verb());
                }
            }
            return ok();
        } catch (Message.BadMessage | SadbException e) {
            return error(e.getMessage());
        }
    }

    private SyncStatus syncStatus() {
        return replicator == null ? null : replicator.status();
    }

    private CarpStatus carpStatus() {
        return carp == null ? CarpStatus.NONE : carp.status();
    }

    private void show(Consumer<String> out, boolean titles, boolean collapse, boolean keys, boolean verbose,
                      boolean flows, boolean sas) {
        StringBuilder sb = new StringBuilder();
        if (flows) {
            List<Flow> all = sadb.flows();
            if (titles) {
                sb.append("FLOWS:\n");
            }
            if (all.isEmpty() && titles) {
                sb.append("No flows\n");
            }
            sb.append(printer.flows(all, collapse));
        }
        if (sas) {
            List<SecurityAssociation> all = new ArrayList<>(sadb.sas());
            all.sort(Comparator.comparingLong(s -> Integer.toUnsignedLong(s.id().spi())));
            if (titles) {
                sb.append(flows ? "\nSAD:\n" : "SAD:\n");
            }
            if (all.isEmpty() && titles) {
                sb.append("No entries\n");
            }
            all.forEach(s -> sb.append(printer.sa(s, keys, verbose)));
        }
        if (flows && sas) {
            sb.append(IkeSaPrinter.render(ike.status()));
        }
        if (!sb.isEmpty()) {
            out.accept(sb.toString());
        }
    }

    @Override
    public void monitor(Consumer<String> out, BooleanSupplier stop) throws InterruptedException {
        BlockingQueue<SadbEvent> events = new LinkedBlockingQueue<>(10_000);
        Consumer<SadbEvent> listener = events::offer;
        sadb.subscribe(listener);
        try {
            while (!stop.getAsBoolean()) {
                SadbEvent e = events.poll(1, TimeUnit.SECONDS);
                if (e != null) {
                    out.accept(printer.event(e));
                }
            }
        } catch (java.io.UncheckedIOException e) {
            // the monitoring ipsecctl went away
        } finally {
            sadb.unsubscribe(listener);
        }
    }

    // ---- shutdown -------------------------------------------------------

    @Override
    public void close() {
        try {
            if (control != null) {
                control.close();
            }
        } catch (IOException e) {
            LOG.warn("closing the control socket: {}", e.toString());
        }
        try {
            if (replicator != null && carp != null) {
                // a master with a synced backup forwards until that backup has taken over: no bow-out gap
                loop.executor().submit(() -> HandOver.begin(loop, syncConf, carp, replicator, HandOver.LIMIT)).get()
                        .get(HandOver.LIMIT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            }
        } catch (Exception e) {
            LOG.warn("handing mastership over: {}", e.toString());
        }
        try {
            if (replicator != null) {
                // replication says goodbye before carp hands over, and removes nothing
                loop.executor().submit(replicator::close).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("stopping replication: {}", e.toString());
        }
        if (tcp != null) {
            tcp.close();
        }
        try {
            if (ike != null) {
                // its timers and exchanges stop before its sockets close and carp hands the VIPs over
                loop.executor().submit(ike::close).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("stopping IKE: {}", e.toString());
        }
        if (ikeListener != null) {
            ikeListener.close();
        }
        try {
            if (carp != null) {
                // a master still (no synced backup took over) bows out, then the VIPs go
                loop.executor().submit(carp::close).get(10, TimeUnit.SECONDS);
                addresses.flush().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("stopping carp: {}", e.toString());
        }
        if (addresses != null) {
            addresses.close();
        }
        if (hooks != null) {
            hooks.close();
        }
        try {
            // routes first: they name the device, which disappears when closed
            loop.executor().submit(routes::removeAll).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("removing routes: {}", e.toString());
        }
        try {
            if (dataPlane != null) {
                dataPlane.close();
            } else if (tun != null) {
                tun.close();
            }
        } catch (IOException e) {
            LOG.warn("stopping the data plane: {}", e.toString());
        }
        loop.close();
        LOG.info("tandemd stopped");
    }
}
