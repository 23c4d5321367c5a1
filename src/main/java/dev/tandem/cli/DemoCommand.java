package dev.tandem.cli;

import dev.tandem.lab.LabDemo;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code tandem demo}: the failover demo, in this JVM on the simulated
 * network (no root needed), deterministic from {@code --seed}; with
 * {@code --lab}, the real daemons against strongSwan in network namespaces.
 */
@Command(name = "demo", description = "A two-node cluster loses its master while a peer keeps sending: "
        + "the failover, simulated in this JVM, with its timeline.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--seed", description = "seed of the simulated run (the same seed prints the same run)",
            defaultValue = "1")
    private long seed;

    @Option(names = "--lab", description = "the same with the real daemons in network namespaces against strongSwan (needs root)")
    private boolean lab;

    @Option(names = {"-v", "--verbose"}, description = "also print the daemons' log lines (stderr)")
    private boolean verbose;

    @ParentCommand
    private Tandem parent;

    @Override
    public Integer call() {
        PrintStream out = parent.stdio().out();
        if (lab) {
            return LabDemo.run(out, parent.stdio().err(), verbose);
        }
        if (!verbose) {
            // read when the first logger is made, which in a fresh `tandem demo` is after this
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        }
        return new FailoverDemo(out, seed).run() ? 0 : 1;
    }
}
