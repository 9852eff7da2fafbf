package dev.taskscheduler.deploy.validation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Validates rendered Kubernetes manifests, docker-compose.yml and the Dockerfiles offline.
 *
 * <pre>
 * manifests RENDERED.yaml [--runbook] [--secure] [--docs FILE.md]... [--root DIR]
 *     schema of every object, the project's policies, with --runbook the operators' runbook
 *     names and figures, with --docs the kubectl commands of the given documents
 * compose docker-compose.yml --reference RENDERED.yaml [--root DIR]
 *     the Compose file, against the rendered development overlay
 * images deploy/images --reference RENDERED.yaml
 *     the Dockerfiles of the four services, against the rendered overlay
 * batch CASES.tsv
 *     many of the above in one run; each line: name TAB expectation TAB command arguments (TAB
 *     separated), the expectation "valid" or "reject:" followed by text the rejection must contain
 * </pre>
 * Exit status 0 when everything holds (or every case met its expectation), 1 otherwise, 2 on wrong
 * usage.
 */
public final class DeployValidator {

    private DeployValidator() {
    }

    /** What one validation found. */
    record Outcome(String summary, List<String> problems) {
    }

    public static void main(String[] args) throws Exception {
        try {
            if (args.length == 2 && args[0].equals("batch")) {
                System.exit(batch(Path.of(args[1])));
            }
            Outcome outcome = run(Arrays.asList(args));
            if (outcome.problems().isEmpty()) {
                System.out.println("valid: " + outcome.summary());
                return;
            }
            System.out.println("invalid: " + outcome.summary() + ", " + outcome.problems().size() + " problem(s):");
            outcome.problems().forEach(p -> System.out.println("  - " + p));
            System.exit(1);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: manifests RENDERED.yaml [--runbook] [--secure] [--docs FILE]... [--root DIR]\n"
                    + "       compose docker-compose.yml --reference RENDERED.yaml [--root DIR]\n"
                    + "       images deploy/images --reference RENDERED.yaml\n"
                    + "       batch CASES.tsv");
            System.exit(2);
        }
    }

    /** Runs each case of the file and prints one line per case and a closing count. */
    static int batch(Path cases) throws Exception {
        int passed = 0;
        int failed = 0;
        for (String line : Files.readAllLines(cases, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t");
            String name = fields[0];
            String expectation = fields[1];
            Outcome outcome = run(Arrays.asList(fields).subList(2, fields.length));
            List<String> problems = outcome.problems();
            String verdict;
            if (expectation.equals("valid")) {
                verdict = problems.isEmpty() ? null : name + " is invalid:";
            } else {
                String expected = expectation.substring("reject:".length());
                String match = problems.stream().filter(p -> p.contains(expected)).findFirst().orElse(null);
                if (match != null) {
                    System.out.println("ok    " + name + " rejected: " + match);
                    passed++;
                    continue;
                }
                verdict = problems.isEmpty() ? name + " was accepted"
                        : name + ": expected a rejection mentioning \"" + expected + "\", got:";
            }
            if (verdict == null) {
                System.out.println("ok    " + name);
                passed++;
            } else {
                System.out.println("FAIL  " + verdict);
                problems.forEach(p -> System.out.println("        - " + p));
                failed++;
            }
        }
        System.out.println("deploy validation: " + passed + " passed, " + failed + " failed");
        return failed == 0 ? 0 : 1;
    }

    static Outcome run(List<String> args) throws Exception {
        if (args.size() < 2 || !List.of("manifests", "compose", "images").contains(args.get(0))) {
            throw new IllegalArgumentException("unknown command " + args);
        }
        String command = args.get(0);
        Path input = Path.of(args.get(1));
        boolean runbook = false;
        boolean secure = false;
        List<Path> docs = new ArrayList<>();
        Path reference = null;
        Path root = Path.of(".").toAbsolutePath().normalize();
        for (int i = 2; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--runbook" -> runbook = true;
                case "--secure" -> secure = true;
                case "--docs" -> docs.add(Path.of(args.get(++i)));
                case "--reference" -> reference = Path.of(args.get(++i));
                case "--root" -> root = Path.of(args.get(++i)).toAbsolutePath().normalize();
                default -> throw new IllegalArgumentException("unknown argument " + args.get(i));
            }
        }

        List<String> problems = new ArrayList<>();
        if (command.equals("manifests")) {
            List<Manifest> manifests = Manifest.load(input);
            if (manifests.isEmpty()) {
                problems.add(input + " contains no objects");
            }
            SchemaCheck schema = new SchemaCheck();
            manifests.forEach(m -> problems.addAll(schema.check(m)));
            problems.addAll(PolicyCheck.check(manifests));
            if (runbook) {
                problems.addAll(RunbookCheck.check(manifests));
            }
            if (secure) {
                problems.addAll(SecurityCheck.check(manifests));
            }
            for (Path doc : docs) {
                if (!Files.isRegularFile(doc)) {
                    problems.add(doc + " does not exist");
                }
            }
            problems.addAll(DocsCheck.check(manifests, root, docs.stream().filter(Files::isRegularFile).toList()));
            return new Outcome(input + " (" + manifests.size() + " objects" + (runbook ? ", runbook" : "") + (secure ? ", security" : "")
                    + (docs.isEmpty() ? "" : ", kubectl commands of " + docs) + ")", problems);
        }
        if (reference == null) {
            throw new IllegalArgumentException(command + " needs --reference RENDERED.yaml");
        }
        if (command.equals("compose")) {
            problems.addAll(ComposeCheck.check(input, Manifest.load(reference), root));
            return new Outcome(input + " (against " + reference.getFileName() + ")", problems);
        }
        problems.addAll(DockerfileCheck.check(input, Manifest.load(reference)));
        return new Outcome(input + " (Dockerfiles, against " + reference.getFileName() + ")", problems);
    }
}
