package dev.tandem.dataplane;

import dev.tandem.sadb.DropReason;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Node-wide packet counters, for what cannot be charged to an SA (no SA for
 * the SPI, malformed packets, cleartext) plus totals. Safe from any thread.
 */
public final class DataPlaneCounters {

    private final AtomicLongArray drops = new AtomicLongArray(DropReason.values().length);
    final AtomicLong cleartext = new AtomicLong();
    final AtomicLong encrypted = new AtomicLong();
    final AtomicLong decrypted = new AtomicLong();
    final AtomicLong ikeDatagrams = new AtomicLong();
    final AtomicLong keepalives = new AtomicLong();

    public void drop(DropReason r) {
        drops.incrementAndGet(r.ordinal());
    }

    public long drops(DropReason r) {
        return drops.get(r.ordinal());
    }

    /** Packets sent in the clear: bypass flows, use flows without an SA, no flow. */
    public long cleartext() {
        return cleartext.get();
    }

    public long encrypted() {
        return encrypted.get();
    }

    public long decrypted() {
        return decrypted.get();
    }

    /** UDP datagrams with the non-ESP marker, handed to IKE. */
    public long ikeDatagrams() {
        return ikeDatagrams.get();
    }

    /** NAT-T keepalives (a single 0xff byte), ignored. */
    public long keepalives() {
        return keepalives.get();
    }
}
