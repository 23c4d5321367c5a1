package dev.tandem.dataplane;

import dev.tandem.sadb.Sadb;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the packet paths on platform threads (a blocking read through FFM
 * would pin a virtual thread's carrier): one thread reads the cleartext
 * device and encrypts, one per ESP port receives and decrypts, so that both
 * directions use their own core. Closing the ports stops the threads.
 */
public final class DataPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);

    private final Sadb sadb;
    private final PacketDevice device;
    private final EspPort udp;
    private final EspPort raw;
    private final ClearPort clear;
    private final Consumer<Datagram> ike;
    private final DataPlaneCounters counters = new DataPlaneCounters();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closing;

    /**
     * @param udp ESP-in-UDP port (4500), or null
     * @param raw raw ESP port, or null
     * @param clear where packets no flow protects leave in the clear, or null to drop them
     * @param ike receives IKE datagrams found on the UDP port; called on a data-plane thread
     */
    public DataPlane(Sadb sadb, PacketDevice device, EspPort udp, EspPort raw, ClearPort clear,
                     Consumer<Datagram> ike) {
        this.sadb = sadb;
        this.device = device;
        this.udp = udp;
        this.raw = raw;
        this.clear = clear;
        this.ike = ike;
    }

    public DataPlaneCounters counters() {
        return counters;
    }

    /** Names of the running threads, for status output. */
    public List<String> threadNames() {
        return threads.stream().filter(Thread::isAlive).map(Thread::getName).toList();
    }

    public synchronized void start() {
        if (!threads.isEmpty()) {
            throw new IllegalStateException("already started");
        }
        threads.add(thread("dataplane-out", () -> outboundLoop(pipeline())));
        if (udp != null) {
            threads.add(thread("dataplane-in-udp", () -> inboundLoop(pipeline(), udp, true)));
        }
        if (raw != null) {
            threads.add(thread("dataplane-in-esp", () -> inboundLoop(pipeline(), raw, false)));
        }
        threads.forEach(Thread::start);
    }

    /** The calling thread's pipeline, its crypto warmed up before the first packet (see {@link EspPipeline#warmUp}). */
    private EspPipeline pipeline() {
        EspPipeline p = new EspPipeline(sadb, device, udp, raw, clear, counters, ike);
        p.warmUp();
        return p;
    }

    private static Thread thread(String name, Runnable body) {
        return Thread.ofPlatform().name(name).daemon(true).unstarted(body);
    }

    private void outboundLoop(EspPipeline p) {
        PacketBatch batch = new PacketBatch(EspPipeline.BATCH_BYTES);
        while (!closing) {
            int n;
            try {
                n = device.read(batch);
            } catch (IOException e) {
                if (!closing) {
                    LOG.error("reading the packet device failed, outbound path stops: {}", e.toString());
                }
                return;
            }
            if (n < 0) {
                return;
            }
            p.outbound(batch);
        }
    }

    private void inboundLoop(EspPipeline p, EspPort port, boolean isUdp) {
        DatagramBatch d = new DatagramBatch(EspPipeline.BATCH_BYTES);
        while (!closing) {
            int n;
            try {
                n = port.receive(d);
            } catch (IOException e) {
                if (!closing) {
                    LOG.error("receiving ESP failed, inbound path stops: {}", e.toString());
                }
                return;
            }
            if (n < 0) {
                return;
            }
            p.inbound(d, isUdp);
        }
    }

    @Override
    public void close() throws IOException {
        closing = true;
        IOException first = null;
        for (AutoCloseable c : new AutoCloseable[] {device, udp, raw, clear}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof IOException io ? io : new IOException(e);
                }
            }
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
