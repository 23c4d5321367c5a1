package dev.tandem.sync;

import dev.tandem.carp.Carp;
import dev.tandem.carp.CarpState;
import dev.tandem.carp.CarpTransition;
import dev.tandem.carp.CarpVhostStatus;
import dev.tandem.conf.sasyncd.SasyncdConf;
import dev.tandem.loop.EventLoop;
import dev.tandem.loop.Timer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A master's graceful stop (SIGTERM) when a synced backup can carry on: the
 * node demotes its carp group by one and keeps forwarding while the best
 * backup waits its skew and takes over, and only then stops. A bow-out
 * instead stops forwarding first and leaves a gap of the backup's skew.
 * Like {@code tandem carp demote +1} before a stop, done by the daemon.
 */
public final class HandOver {

    private static final Logger LOG = LoggerFactory.getLogger("dev.tandem.sync");
    /** A backup takes over after at most its skew plus a second (demoted); then the node bows out anyway. */
    public static final Duration LIMIT = Duration.ofSeconds(2);

    private final EventLoop loop;
    private final Carp carp;
    private final CompletableFuture<String> done = new CompletableFuture<>();
    private final Consumer<CarpTransition> watch = t -> check();
    private Timer timer = Timer.NONE;
    private long startNanos;

    private HandOver(EventLoop loop, Carp carp) {
        this.loop = loop;
        this.carp = carp;
    }

    /**
     * Starts the hand-over, on the loop. The result completes (on the loop)
     * with what happened once this node is master of no carp interface, at
     * once when there is nothing to hand over (the node is not master, or no
     * backup has applied its snapshot), and after {@code limit} at the latest.
     */
    public static CompletableFuture<String> begin(EventLoop loop, SasyncdConf conf, Carp carp, Replicator replicator,
                                                  Duration limit) {
        HandOver h = new HandOver(loop, carp);
        SyncStatus s = replicator.status();
        if (!"MASTER".equals(s.role())) {
            h.done.complete("not master: nothing to hand over");
        } else if (s.peers().stream().noneMatch(SyncStatus.PeerStatus::synced)) {
            h.done.complete("no synced backup: bowing out");
        } else {
            h.start(conf.group(), limit);
        }
        return h.done;
    }

    private void start(String group, Duration limit) {
        startNanos = loop.nanoTime();
        LOG.warn("sync: stopping: handing mastership over to a backup (demoting group {})", group);
        carp.subscribe(watch);
        carp.demote(group, 1);
        timer = loop.schedule(limit, () -> finish("no backup took over within " + limit.toMillis()
                + " ms: bowing out"));
        check();
    }

    private void check() {
        if (carp.status().interfaces().stream().map(CarpVhostStatus::state).noneMatch(CarpState.MASTER::equals)) {
            finish("handed over after " + (loop.nanoTime() - startNanos) / 1_000_000 + " ms");
        }
    }

    private void finish(String how) {
        if (done.isDone()) {
            return;
        }
        timer.cancel();
        carp.unsubscribe(watch);
        LOG.warn("sync: stopping: {}", how);
        done.complete(how);
    }
}
