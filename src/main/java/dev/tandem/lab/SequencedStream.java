package dev.tandem.lab;

import dev.tandem.os.Netns;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * One direction of a paced, sequence-numbered UDP stream between two lab
 * hosts, run from this JVM: a sender thread with a socket in one
 * namespace sends at a fixed rate on an absolute schedule, a receiver thread
 * with a socket in the other records each datagram's sequence number and
 * arrival time. What a failover did to the traffic is read from these
 * records afterwards ({@link #window}).
 *
 * <p>A socket belongs to the namespace of the thread that created it, so
 * both are opened through {@link Netns#call} and then used from ordinary
 * threads of this JVM.
 */
final class SequencedStream implements AutoCloseable {

    /** Bytes per datagram: the sequence number and padding, about a VoIP packet. */
    static final int PAYLOAD = 160;

    private final String name;
    private final DatagramChannel out;
    private final DatagramChannel in;
    private final InetSocketAddress target;
    private final long periodNanos;
    /** Send time of each sequence number; visible to other threads below {@link #stamped}. */
    private final long[] sentAt;
    private volatile int stamped;
    private volatile int sent;
    private volatile long sendErrors;
    private volatile boolean stopping;
    /** Arrivals in arrival order; guarded by this. */
    private final int[] arrivalSeq;
    private final long[] arrivalAt;
    private int arrivals;
    private long foreign;
    private final Thread sender;
    private final Thread receiver;

    private SequencedStream(String name, DatagramChannel out, DatagramChannel in, InetSocketAddress target,
                            int perSecond, int capacity) {
        this.name = name;
        this.out = out;
        this.in = in;
        this.target = target;
        this.periodNanos = 1_000_000_000L / perSecond;
        this.sentAt = new long[capacity];
        this.arrivalSeq = new int[capacity * 2];
        this.arrivalAt = new long[capacity * 2];
        this.sender = Thread.ofPlatform().daemon().name("stream-send-" + name).unstarted(this::send);
        this.receiver = Thread.ofPlatform().daemon().name("stream-receive-" + name).unstarted(this::receive);
    }

    /**
     * Starts a stream of {@code perSecond} datagrams from namespace {@code fromNs}
     * to {@code toAddress:port} in namespace {@code toNs}, for at most
     * {@code seconds} (the size of the records).
     */
    static SequencedStream start(String name, String fromNs, String toNs, String toAddress, int port, int perSecond,
                                 int seconds) throws Exception {
        DatagramChannel in = Netns.call(toNs, () -> {
            DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
            ch.bind(new InetSocketAddress(port));
            return ch;
        });
        DatagramChannel out;
        try {
            out = Netns.call(fromNs, () -> DatagramChannel.open(StandardProtocolFamily.INET));
        } catch (Exception e) {
            in.close();
            throw e;
        }
        SequencedStream s = new SequencedStream(name, out, in, new InetSocketAddress(toAddress, port), perSecond,
                perSecond * seconds);
        s.receiver.start();
        s.sender.start();
        return s;
    }

    private void send() {
        ByteBuffer buf = ByteBuffer.allocate(PAYLOAD);
        long start = System.nanoTime();
        for (int seq = 0; seq < sentAt.length && !stopping; seq++) {
            // an absolute schedule: a late wake-up is caught up, the rate stays what was asked
            long due = start + seq * periodNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            buf.clear();
            buf.putInt(seq);
            buf.position(PAYLOAD);
            buf.flip();
            sentAt[seq] = System.nanoTime();
            stamped = seq + 1;
            try {
                out.send(buf, target);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                // no route while a gateway is away: the datagram is lost like one dropped on the way
                sendErrors++;
            }
            sent = seq + 1;
        }
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocate(2048);
        while (!stopping) {
            buf.clear();
            try {
                in.receive(buf);
            } catch (IOException e) {
                return;
            }
            long now = System.nanoTime();
            buf.flip();
            synchronized (this) {
                if (buf.remaining() != PAYLOAD) {
                    foreign++;
                    continue;
                }
                int seq = buf.getInt();
                if (seq < 0 || seq >= sentAt.length || arrivals == arrivalSeq.length) {
                    foreign++;
                    continue;
                }
                arrivalSeq[arrivals] = seq;
                arrivalAt[arrivals] = now;
                arrivals++;
                notifyAll();
            }
        }
    }

    /**
     * When {@code seq} was sent. It arrived, so it was stamped before it left;
     * reading {@link #stamped} first makes the stamp visible to this thread.
     */
    private long sentAt(int seq) {
        while (seq >= stamped) {
            Thread.onSpinWait();
        }
        return sentAt[seq];
    }

    /**
     * Waits until a datagram sent at or after {@code sentAfterNanos} has
     * arrived (traffic flows after an event) and returns its arrival time.
     *
     * @throws IllegalStateException when none arrives within {@code timeout}
     */
    synchronized long awaitDelivered(long sentAfterNanos, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        int i = 0;
        while (true) {
            for (; i < arrivals; i++) {
                if (sentAt(arrivalSeq[i]) >= sentAfterNanos) {
                    return arrivalAt[i];
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException(name + ": nothing sent after the mark arrived within " + timeout.toMillis()
                        + " ms (" + sent + " sent, " + arrivals + " arrived)");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /**
     * What happened to the datagrams sent in [{@code from}, {@code to}): how
     * many never arrived, arrived twice or out of order, and the largest gap
     * between consecutive arrivals from {@code from} until the last of them
     * arrived (the silence a failover caused).
     */
    synchronized Window window(long from, long to) {
        int count = stamped;
        int first = -1;
        int last = -1;
        for (int seq = 0; seq < count; seq++) {
            if (sentAt[seq] >= from && sentAt[seq] < to) {
                if (first < 0) {
                    first = seq;
                }
                last = seq;
            }
        }
        if (first < 0) {
            return new Window(name, 0, 0, 0, 0, 0, 0);
        }
        int[] times = new int[last - first + 1];
        int reordered = 0;
        int highest = -1;
        long previous = -1;
        long gap = 0;
        long gapStart = 0;
        long lastArrival = 0;
        for (int i = 0; i < arrivals; i++) {
            int seq = arrivalSeq[i];
            long at = arrivalAt[i];
            if (seq >= first && seq <= last) {
                times[seq - first]++;
                lastArrival = Math.max(lastArrival, at);
                if (seq < highest) {
                    reordered++;
                }
            }
            highest = Math.max(highest, seq);
        }
        for (int i = 0; i < arrivals; i++) {
            long at = arrivalAt[i];
            if (at > lastArrival) {
                break;
            }
            if (at >= from && previous >= 0 && at - previous > gap) {
                gap = at - previous;
                gapStart = previous;
            }
            previous = at;
        }
        if (lastArrival == 0) {
            // nothing of the window arrived: the silence has no end
            gap = Long.MAX_VALUE;
        }
        int lost = 0;
        int duplicates = 0;
        for (int t : times) {
            if (t == 0) {
                lost++;
            } else {
                duplicates += t - 1;
            }
        }
        return new Window(name, times.length, lost, duplicates, reordered, gap, gapStart == 0 ? 0 : gapStart - from);
    }

    /**
     * @param sent          datagrams sent in the window
     * @param gapNanos      largest time between consecutive arrivals
     * @param gapStartNanos when that gap began, after the window's start
     */
    record Window(String stream, int sent, int lost, int duplicates, int reordered, long gapNanos,
                  long gapStartNanos) {

        double gapMs() {
            return gapNanos / 1e6;
        }

        @Override
        public String toString() {
            return "%s: gap %.1f ms (from %+.0f ms), %d of %d lost, %d duplicates, %d reordered".formatted(stream,
                    gapMs(), gapStartNanos / 1e6, lost, sent, duplicates, reordered);
        }
    }

    /** Datagrams that could not be sent (no route) and that arrived malformed; both should stay small. */
    synchronized String problems() {
        return name + ": " + sendErrors + " send errors, " + foreign + " foreign datagrams";
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        try {
            out.close();
        } catch (IOException e) {
            // closing only
        }
        try {
            in.close();
        } catch (IOException e) {
            // closing only
        }
        sender.join(2_000);
        receiver.join(2_000);
    }
}
