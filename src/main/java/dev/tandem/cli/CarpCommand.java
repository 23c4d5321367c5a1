package dev.tandem.cli;

import dev.tandem.control.Message;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code tandem carp}: the node's carp interfaces and their demotion. */
@Command(name = "carp", mixinStandardHelpOptions = true,
        description = "Show carp interfaces, or demote a group to move mastership.",
        subcommands = {CarpCommand.Status.class, CarpCommand.Demote.class})
final class CarpCommand implements Runnable {

    @ParentCommand
    Tandem parent;

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(new java.io.PrintWriter(parent.stdio().out(), true));
    }

    @Command(name = "status", description = "State, timers, demotion and counters of every carp interface.")
    static final class Status implements Callable<Integer> {

        @ParentCommand
        CarpCommand carp;

        @Option(names = "--json", description = "Machine-readable output (the carp section of tandem status --json).")
        boolean json;

        @Option(names = "--control", paramLabel = "PATH", description = "Control socket of tandemd.")
        Path control;

        @Override
        public Integer call() {
            return DaemonCall.run(carp.parent, control, new Message("carp-status", Map.of("json", json ? "yes" : "no")));
        }
    }

    @Command(name = "demote", description = {
        "Raise or lower a group's demotion counter (OpenBSD: ifconfig -g GROUP carpdemote N).",
        "Without a change, print the counters. The group defaults to \"carp\", which every carp interface is in."})
    static final class Demote implements Callable<Integer> {

        private static final Pattern DELTA = Pattern.compile("[+-][0-9]{1,3}");

        @ParentCommand
        CarpCommand carp;

        @Option(names = "--control", paramLabel = "PATH", description = "Control socket of tandemd.")
        Path control;

        @Parameters(arity = "0..2", paramLabel = "[GROUP] +N|-N", description = "Group (default carp) and change.")
        List<String> args = List.of();

        @Override
        public Integer call() {
            if (args.isEmpty()) {
                return DaemonCall.run(carp.parent, control, new Message("carp-demote", Map.of()));
            }
            String delta = args.getLast();
            String group = args.size() == 2 ? args.getFirst() : "carp";
            if (!DELTA.matcher(delta).matches()) {
                carp.parent.stdio().err().println("tandem carp demote: the change must be +N or -N (N up to 255), not \""
                        + delta + "\"");
                return 2;
            }
            int d = Integer.parseInt(delta);
            if (Math.abs(d) > 255) {
                carp.parent.stdio().err().println("tandem carp demote: " + delta + " is beyond 255");
                return 2;
            }
            return DaemonCall.run(carp.parent, control,
                    new Message("carp-demote", Map.of("group", group, "delta", Integer.toString(d))));
        }
    }
}
