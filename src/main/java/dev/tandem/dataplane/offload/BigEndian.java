package dev.tandem.dataplane.offload;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Header fields in network byte order, read and written in place. */
final class BigEndian {

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private BigEndian() {
    }

    static int u16(byte[] b, int off) {
        return (short) SHORT.get(b, off) & 0xffff;
    }

    static int i32(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    static void put16(byte[] b, int off, int v) {
        SHORT.set(b, off, (short) v);
    }

    static void put32(byte[] b, int off, int v) {
        INT.set(b, off, v);
    }
}
