package org.vae4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.exceptions.TFResourceExhaustedException;
import org.tensorflow.exceptions.TensorFlowException;
import org.vae4j.VaeException;
import org.vae4j.Version;

/**
 * {@code vae <command> [options]}: the command line edge. Every failure a user can cause ends here as one line on
 * stderr and a non-zero exit; {@code --verbose} adds the stack trace.
 *
 * <p>Exit codes: 0 success, 1 the command failed, 2 the command was called wrongly.
 */
public final class Main {
  /** Options an earlier release named otherwise: a user of the old name is told the new one. */
  static final java.util.Map<String, String> RENAMED = java.util.Map.of("--conditional", "--conditioning");

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  private final Map<String, Command> commands = new LinkedHashMap<>();

  Main() {
    for (Command c : List.of(new TrainCommand(), new SampleCommand(), new ReconstructCommand(),
        new ManifoldCommand(), new ScatterCommand(), new InterpolateCommand(), new EvaluateCommand(),
        new EncodeCommand(), new ExportCommand(), new DatasetsCommand(), new InfoCommand(), new BenchCommand(),
        new SoakCommand(), new SparkScoreCommand(), new ClassifyCheckCommand(), new CompleteCommand(),
        new ServeCommand(), new ServeBenchCommand(), new AnomaliesCommand())) {
      commands.put(c.name(), c);
    }
  }

  public static void main(String[] args) {
    // bin/vae says whether stderr is a terminal (System.console() looks at stdin and stdout instead)
    boolean terminal = Boolean.parseBoolean(System.getProperty("vae4j.stderr.tty",
        String.valueOf(System.console() != null)));
    int code = new Main().run(args, System.out, System.err, terminal);
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command line; returns the exit code. */
  int run(String[] rawArgs, PrintStream out, PrintStream err, boolean terminal) {
    List<String> args = new ArrayList<>(Arrays.asList(rawArgs));
    boolean verbose = args.remove("--verbose");
    Io io = new Io(out, err, terminal, verbose);
    if (args.isEmpty() || args.get(0).equals("--help") || args.get(0).equals("-h") || args.get(0).equals("help")) {
      printCommands(out);
      return args.isEmpty() ? USAGE : OK;
    }
    if (args.get(0).equals("--version")) {
      out.println("vae4j " + Version.VAE4J);
      return OK;
    }
    Command command = commands.get(args.get(0));
    if (command == null) {
      err.println("vae: unknown command '" + args.get(0) + "'; commands: " + String.join(", ", commands.keySet()));
      return USAGE;
    }
    String[] rest = args.subList(1, args.size()).toArray(new String[0]);
    Options options = command.options();
    options.addOption(Option.builder("h").longOpt("help").desc("show this help").build());
    options.addOption(Option.builder().longOpt("verbose").desc("show stack traces of failures").build());
    try {
      // no prefix matching: '--epoch 3' must be an error, not a silent '--epochs 3'
      CommandLine line = DefaultParser.builder().setAllowPartialMatching(false).build().parse(options, rest);
      if (line.hasOption("help")) {
        printHelp(command, options, out);
        return OK;
      }
      if (!line.getArgList().isEmpty()) {
        throw new UsageException("unexpected argument '" + line.getArgList().get(0) + "'");
      }
      return command.run(line, io);
    } catch (ParseException e) {
      String message = e.getMessage();
      if (e instanceof UnrecognizedOptionException u && RENAMED.containsKey(u.getOption())) {
        message = u.getOption() + " is now " + RENAMED.get(u.getOption()) + " (the model card's name for it)";
      }
      err.println("vae " + command.name() + ": " + message + " (see 'vae " + command.name() + " --help')");
      return USAGE;
    } catch (UsageException e) {
      err.println("vae " + command.name() + ": " + firstLine(e.getMessage()) + " (see 'vae " + command.name()
          + " --help')");
      trace(e, io);
      return USAGE;
    } catch (TFInvalidArgumentException e) {
      err.println("vae " + command.name() + ": TensorFlow rejected the request: " + firstLine(e.getMessage()));
      trace(e, io);
      return FAILED;
    } catch (VaeException | IllegalArgumentException e) {
      err.println("vae " + command.name() + ": " + firstLine(Flags.show(e)));
      trace(e, io);
      return FAILED;
    } catch (java.nio.file.NoSuchFileException e) {
      err.println("vae " + command.name() + ": no such file or folder: " + e.getFile());
      trace(e, io);
      return FAILED;
    } catch (java.nio.file.AccessDeniedException e) {
      err.println("vae " + command.name() + ": permission denied: " + e.getFile());
      trace(e, io);
      return FAILED;
    } catch (java.nio.file.FileSystemException e) {
      err.println("vae " + command.name() + ": cannot use " + e.getFile() + ": "
          + (e.getReason() == null ? "file system error" : e.getReason()));
      trace(e, io);
      return FAILED;
    } catch (java.io.IOException e) {
      err.println("vae " + command.name() + ": input/output error: " + e.getMessage());
      trace(e, io);
      return FAILED;
    } catch (TFResourceExhaustedException e) {
      err.println("vae " + command.name() + ": TensorFlow ran out of memory (" + firstLine(e.getMessage())
          + "); try a smaller --batch-size (or fewer --mc-samples)");
      trace(e, io);
      return FAILED;
    } catch (TensorFlowException e) {
      err.println("vae " + command.name() + ": TensorFlow failed: " + firstLine(e.getMessage()));
      trace(e, io);
      return FAILED;
    } catch (OutOfMemoryError e) {
      err.println("vae " + command.name() + ": out of memory; try a smaller --batch-size or more heap"
          + " (VAE4J_JAVA_OPTS=-Xmx8g)");
      trace(e, io);
      return FAILED;
    } catch (Exception | Error e) {
      err.println("vae " + command.name() + ": internal error: " + e.getClass().getName() + ": "
          + firstLine(e.getMessage()) + (verbose ? "" : " (run again with --verbose for the stack trace)"));
      trace(e, io);
      return FAILED;
    }
  }

  static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    String line = message.strip();
    int nl = line.indexOf('\n');
    return nl < 0 ? line : line.substring(0, nl);
  }

  private static void trace(Throwable e, Io io) {
    if (io.verbose()) {
      e.printStackTrace(io.err());
    }
  }

  private void printCommands(PrintStream out) {
    out.println("usage: vae <command> [options]   (vae <command> --help for its options)");
    out.println();
    for (Command c : commands.values()) {
      out.printf("  %-12s %s%n", c.name(), c.summary());
    }
    out.println();
    out.println("  --version    print the vae4j version");
    out.println("  --verbose    with any command: show stack traces of failures");
  }

  private static void printHelp(Command command, Options options, PrintStream out) {
    HelpFormatter help = HelpFormatter.builder().get();
    PrintWriter w = new PrintWriter(out);
    help.printHelp(w, 100, "vae " + command.name() + " " + command.usage(), command.summary(), options, 2, 2, "",
        false);
    w.flush();
  }
}
