package dev.tandem.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.conf.sasyncd.SasyncdConf;
import dev.tandem.net.IpAddress;
import dev.tandem.sadb.Flow;
import dev.tandem.sadb.Sadb;
import dev.tandem.sadb.SadbEvent;
import dev.tandem.sim.SimLoop;
import dev.tandem.sim.SimStreams;
import dev.tandem.sim.SimWorld;
import dev.tandem.sync.wire.Hello;
import dev.tandem.sync.wire.RunState;
import dev.tandem.sync.wire.SecureChannel;
import dev.tandem.sync.wire.Side;
import dev.tandem.sync.wire.SyncKey;
import dev.tandem.sync.wire.SyncMessage;
import dev.tandem.sync.wire.SyncProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A backup applies the messages of one received batch in their order, even
 * though it gathers flow adds to rebuild its flow table once: the test plays
 * the master by hand and puts several messages into one chunk, as TCP
 * delivers a snapshot.
 */
class ReplicatorBatchTest {

    private static final String KEY = "00112233445566778899aabbccddeeff";
    private static final IpAddress MASTER = IpAddress.parse("192.0.2.1").orElseThrow();
    private static final IpAddress BACKUP = IpAddress.parse("192.0.2.2").orElseThrow();

    private final SimWorld world = new SimWorld(11);
    private final SimStreams streams = new SimStreams(world);
    private final SimLoop loop = world.loop("backup");
    private final Sadb sadb = new Sadb(loop::nanoTime);
    private final List<SadbEvent> events = new ArrayList<>();

    /** The backup under test, and the hand-played master's end of the connection once it is authenticated. */
    private Replicator backup;
    private SecureChannel master;
    private StreamConnection toBackup;

    private void connect() throws Exception {
        SasyncdConf conf = SasyncdConf.parse(Path.of("sasyncd.conf"),
                "interface carp0\nsharedkey 0x" + KEY + "\npeer " + MASTER + "\nmode slave\n", w -> { });
        SimLoop masterLoop = world.loop("master");
        master = new SecureChannel(Side.RESPONDER, new SyncKey(HexFormat.of().parseHex(KEY)), 1, Hello.INTENT_MASTER,
                world.fork());
        streams.attach(masterLoop, MASTER).listen(null, SasyncdConf.DEFAULT_PORT, c -> {
            toBackup = c;
            c.receiver(new StreamConnection.Receiver() {
                @Override
                public void data(byte[] chunk) {
                    try {
                        c.send(master.receive(chunk).reply());
                    } catch (SyncProtocolException e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void closed(String reason) {
                }
            });
            c.send(master.start());
        });
        loop.execute(() -> {
            try {
                backup = new Replicator(conf, loop, sadb, streams.attach(loop, BACKUP), null, world.fork(),
                        Replicator.Options.DEFAULT);
                backup.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(world.runUntil(() -> master.state() == SecureChannel.State.AUTHENTICATED
                && backup.status().peers().getFirst().state().equals("up"), Duration.ofSeconds(10))).isTrue();
        sadb.subscribe(events::add);
    }

    /** The messages sealed one after the other and sent as one chunk. */
    private void sendAsOneChunk(SyncMessage... messages) throws SyncProtocolException {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        for (SyncMessage m : messages) {
            chunk.writeBytes(master.send(m));
        }
        toBackup.send(chunk.toByteArray());
        world.run(Duration.ofMillis(50));
    }

    @Test
    void aFlowAddedAndDeletedInOneBatchIsGoneAndEventsKeepTheirOrder() throws Exception {
        connect();
        Flow f1 = ReplicationSimTest.flow(1);
        Flow f2 = ReplicationSimTest.flow(2);
        Flow f3 = ReplicationSimTest.flow(3);
        sendAsOneChunk(new SyncMessage.Role(RunState.MASTER, 1), new SyncMessage.FlowAdd(f1),
                new SyncMessage.FlowAdd(f2), new SyncMessage.FlowDelete(f1.key()), new SyncMessage.FlowAdd(f3));

        assertThat(sadb.flows()).containsExactlyInAnyOrder(f2, f3);
        assertThat(events).containsExactly(new SadbEvent.FlowAdded(f1), new SadbEvent.FlowAdded(f2),
                new SadbEvent.FlowDeleted(f1), new SadbEvent.FlowAdded(f3));
        assertThat(backup.status().counts().flowsApplied()).isEqualTo(3);
    }

    @Test
    void aFlowTheBackupAlreadyHasIsNotAddedAgain() throws Exception {
        connect();
        Flow f1 = ReplicationSimTest.flow(1);
        loop.execute(() -> sadb.addFlow(f1));
        world.run(Duration.ZERO);
        events.clear();
        sendAsOneChunk(new SyncMessage.Role(RunState.MASTER, 1), new SyncMessage.FlowAdd(f1),
                new SyncMessage.FlowAdd(ReplicationSimTest.flow(2)));

        assertThat(events).containsExactly(new SadbEvent.FlowAdded(ReplicationSimTest.flow(2)));
        assertThat(sadb.flows()).containsExactlyInAnyOrder(f1, ReplicationSimTest.flow(2));
    }
}
