package dev.tandem.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One measurement from ha to hb: iperf3 TCP throughput, then the ping round trip on the idle path. */
final class Iperf {

    static final String SERVER = "10.2.0.10";

    private static final Pattern RTT = Pattern.compile("= ([0-9.]+)/([0-9.]+)/([0-9.]+)/([0-9.]+) ms");

    /**
     * @param mbps        receiver's throughput, Mbit/s (10^6 bit/s), without the omitted start
     * @param retransmits TCP retransmissions the sender counted
     * @param rttAvgMs    average ping round trip after the transfer
     * @param pingLoss    pings without an answer
     */
    record Measurement(double mbps, long retransmits, double rttAvgMs, int pingLoss) { }

    private Iperf() {
    }

    /**
     * @param seconds measured duration
     * @param omit    seconds at the start left out of the result, on every
     *                path alike: TCP slow start, and a fresh tandemd still
     *                compiling its hot loop
     * @param pings   pings after the transfer, 0.2 s apart
     */
    static Measurement measure(Lab lab, int seconds, int omit, int pings) throws IOException, InterruptedException {
        lab.spawnReady(Lab.HB, "Server listening", "iperf3", "-s", "-1", "--forceflush");
        Process client = lab.spawn(Lab.HA, "iperf3", "-c", SERVER, "-t", Integer.toString(seconds),
                "-O", Integer.toString(omit), "-J", "--connect-timeout", "5000");
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
        // iperf3 ends on its own after omit + seconds; the margin covers connecting and the result exchange
        if (!client.waitFor(omit + seconds + 60L, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new IOException("iperf3 did not finish");
        }
        String json;
        try {
            json = out.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("no output from iperf3", e);
        }
        Object root = MiniJson.parse(json);
        if (root instanceof java.util.Map<?, ?> m && m.containsKey("error")) {
            throw new IOException("iperf3: " + m.get("error"));
        }
        double bps = MiniJson.number(root, "end", "sum_received", "bits_per_second");
        long retransmits = (long) MiniJson.number(root, "end", "sum_sent", "retransmits");

        Lab.Result ping = lab.exec(Lab.HA, "ping", "-q", "-c", Integer.toString(pings), "-i", "0.2", "-W", "2", SERVER);
        Matcher rtt = RTT.matcher(ping.out());
        Matcher received = Pattern.compile("(\\d+) received").matcher(ping.out());
        if (!rtt.find() || !received.find()) {
            throw new IOException("no round trip from ping:\n" + ping.out());
        }
        return new Measurement(bps / 1e6, retransmits, Double.parseDouble(rtt.group(2)),
                pings - Integer.parseInt(received.group(1)));
    }
}
