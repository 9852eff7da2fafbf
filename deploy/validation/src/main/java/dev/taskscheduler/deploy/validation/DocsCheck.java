package dev.taskscheduler.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the operators' documentation: every {@code kubectl} command in a ```bash block must name
 * objects, a namespace, pods, paths and secret keys that exist in the rendered production
 * overlay, so a procedure cannot drift away from the manifests it operates.
 */
final class DocsCheck {

    private static final Pattern FENCE = Pattern.compile("^```\\s*(bash|sh|shell|console)\\s*$");
    private static final Map<String, String> KINDS = Map.ofEntries(
            Map.entry("deployment", "Deployment"), Map.entry("deployments", "Deployment"), Map.entry("deploy", "Deployment"),
            Map.entry("statefulset", "StatefulSet"), Map.entry("statefulsets", "StatefulSet"), Map.entry("sts", "StatefulSet"),
            Map.entry("hpa", "HorizontalPodAutoscaler"), Map.entry("horizontalpodautoscaler", "HorizontalPodAutoscaler"),
            Map.entry("networkpolicy", "NetworkPolicy"), Map.entry("networkpolicies", "NetworkPolicy"), Map.entry("netpol", "NetworkPolicy"),
            Map.entry("service", "Service"), Map.entry("services", "Service"), Map.entry("svc", "Service"),
            Map.entry("secret", "Secret"), Map.entry("secrets", "Secret"),
            Map.entry("configmap", "ConfigMap"), Map.entry("configmaps", "ConfigMap"), Map.entry("cm", "ConfigMap"),
            Map.entry("cronjob", "CronJob"), Map.entry("cronjobs", "CronJob"), Map.entry("cj", "CronJob"),
            Map.entry("pvc", "PersistentVolumeClaim"), Map.entry("persistentvolumeclaim", "PersistentVolumeClaim"),
            Map.entry("pdb", "PodDisruptionBudget"), Map.entry("poddisruptionbudget", "PodDisruptionBudget"),
            Map.entry("kafka", "Kafka"), Map.entry("kafkas", "Kafka"),
            Map.entry("kafkatopic", "KafkaTopic"), Map.entry("kafkatopics", "KafkaTopic"), Map.entry("kt", "KafkaTopic"),
            Map.entry("kafkanodepool", "KafkaNodePool"), Map.entry("kafkanodepools", "KafkaNodePool"),
            Map.entry("servicemonitor", "ServiceMonitor"), Map.entry("prometheusrule", "PrometheusRule"),
            Map.entry("scaledobject", "ScaledObject"), Map.entry("namespace", "Namespace"), Map.entry("ns", "Namespace"));
    /** kubectl flags followed by a separate value. */
    private static final Set<String> FLAGS_WITH_VALUE = Set.of("-n", "--namespace", "-c", "--container", "-f",
            "--filename", "-k", "--kustomize", "-l", "--selector", "-o", "--output", "--image", "--from",
            "--replicas", "-p", "--patch", "--type", "--for", "--timeout", "--field-selector", "--tail", "--since");
    /** Verbs whose positional arguments are TYPE NAME... or TYPE/NAME... */
    private static final Set<String> OBJECT_VERBS = Set.of("get", "describe", "edit", "delete", "scale", "annotate",
            "label", "patch", "wait", "logs", "port-forward", "autoscale", "rollout");

    private final List<Manifest> all;
    private final Path root;
    private final List<String> problems = new ArrayList<>();
    private String where;

    private DocsCheck(List<Manifest> all, Path root) {
        this.all = all;
        this.root = root;
    }

    static List<String> check(List<Manifest> all, Path root, List<Path> documents) throws IOException {
        DocsCheck check = new DocsCheck(all, root);
        for (Path document : documents) {
            check.document(document);
        }
        return check.problems;
    }

    /** The kubectl commands of the ```bash blocks, continuation lines joined. */
    static List<String[]> kubectlCommands(List<String> lines) {
        List<String[]> commands = new ArrayList<>();
        boolean inBlock = false;
        StringBuilder pending = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.trim().startsWith("```")) {
                inBlock = !inBlock && FENCE.matcher(line.trim()).matches();
                continue;
            }
            if (!inBlock) {
                continue;
            }
            String text = line.strip().replaceFirst("^\\$ ", "");
            if (text.endsWith("\\")) {
                pending.append(text, 0, text.length() - 1).append(' ');
                continue;
            }
            String command = pending.append(text).toString();
            pending.setLength(0);
            if (!command.startsWith("#") && command.matches(".*\\bkubectl\\b.*")) {
                commands.add(new String[] {String.valueOf(i + 1), command});
            }
        }
        return commands;
    }

    private void document(Path document) throws IOException {
        for (String[] command : kubectlCommands(Files.readAllLines(document, StandardCharsets.UTF_8))) {
            List<List<String>> segments = segments(Shell.split(command[1]));
            for (List<String> segment : segments) {
                if (!segment.isEmpty() && segment.get(0).equals("kubectl")) {
                    Path shown = document.toAbsolutePath().normalize();
                    where = (shown.startsWith(root) ? root.relativize(shown) : shown) + ":" + command[0] + " `"
                            + String.join(" ", segment) + "`";
                    kubectl(segment.subList(1, segment.size()));
                }
            }
        }
    }

    private static List<List<String>> segments(List<String> tokens) {
        List<List<String>> segments = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String token : tokens) {
            if (Set.of("|", "||", "&&", "&", ";").contains(token)) {
                segments.add(current);
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        segments.add(current);
        return segments;
    }

    // --- one kubectl command ------------------------------------------------------------------------

    private void kubectl(List<String> args) {
        String namespace = null;
        String container = null;
        Integer replicas = null;
        String kustomization = null;
        String file = null;
        List<String> positional = new ArrayList<>();
        List<String> literals = new ArrayList<>();
        List<String> inPod = List.of();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                inPod = args.subList(i + 1, args.size());
                break;
            }
            String flag = arg.contains("=") && arg.startsWith("-") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = null;
            if (arg.startsWith("-") && arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (FLAGS_WITH_VALUE.contains(arg) && i + 1 < args.size()) {
                value = args.get(++i);
            }
            switch (flag) {
                case "-n", "--namespace" -> namespace = value;
                case "-c", "--container" -> container = value;
                case "--replicas" -> replicas = Integer.valueOf(value);
                case "-k", "--kustomize" -> kustomization = value;
                case "-f", "--filename" -> file = value;
                case "--from-literal" -> literals.add(value);
                case "--from" -> positional.add("--from=" + value);
                default -> {
                    if (!arg.startsWith("-")) {
                        positional.add(arg);
                    }
                }
            }
        }
        if (namespace != null && !namespace.equals(RunbookCheck.NAMESPACE)) {
            problem("namespace " + namespace + " is not " + RunbookCheck.NAMESPACE);
        }
        if (kustomization != null && !Files.isRegularFile(root.resolve(kustomization).resolve("kustomization.yaml"))) {
            problem(kustomization + " is not a kustomization directory of the repository");
        }
        if (file != null && !file.equals("-") && !Files.isRegularFile(root.resolve(file))) {
            problem(file + " is not a file of the repository");
        }
        if (positional.isEmpty()) {
            return;
        }
        String verb = positional.get(0);
        List<String> rest = positional.subList(1, positional.size());
        boolean namespaced = !Set.of("apply", "kustomize", "version", "config", "api-resources", "auth", "explain")
                .contains(verb);
        if (namespaced && namespace == null && file == null && kustomization == null && !verb.equals("cp")) {
            problem("no -n " + RunbookCheck.NAMESPACE + " (it would act on the current context's namespace)");
        }
        switch (verb) {
            case "exec" -> {
                String containerName = container;
                List<String> command = inPod;
                if (!rest.isEmpty()) {
                    pod(rest.get(0)).ifPresent(pod -> inPodCommand(pod, containerName, command));
                }
            }
            case "cp" -> rest.forEach(this::copyEndpoint);
            case "create" -> create(rest, literals);
            case "run" -> {
                for (int i = 0; i + 1 < inPod.size(); i++) {
                    if (inPod.get(i).equals("nslookup")) {
                        object("Service", inPod.get(i + 1).split("\\.")[0]);
                    }
                }
            }
            default -> {
                if (OBJECT_VERBS.contains(verb)) {
                    objects(verb, verb.equals("rollout") && !rest.isEmpty() ? rest.subList(1, rest.size()) : rest,
                            replicas);
                }
            }
        }
    }

    private void objects(String verb, List<String> args, Integer replicas) {
        List<String[]> named = new ArrayList<>();
        if (!args.isEmpty() && !args.get(0).contains("/") && KINDS.containsKey(args.get(0).toLowerCase())) {
            args.subList(1, args.size()).forEach(name -> named.add(new String[] {args.get(0), name}));
        } else {
            for (String arg : args) {
                if (arg.contains("/")) {
                    named.add(arg.split("/", 2));
                } else if (verb.equals("logs")) {
                    pod(arg);
                }
            }
        }
        for (String[] object : named) {
            String kind = KINDS.get(object[0].toLowerCase());
            if (object[0].equalsIgnoreCase("pod") || object[0].equalsIgnoreCase("pods")) {
                pod(object[1]);
            } else if (kind == null) {
                problem("unknown object type " + object[0]);
            } else {
                object(kind, object[1]).ifPresent(found -> {
                    if (verb.equals("scale") && replicas != null) {
                        scale(found, replicas);
                    }
                });
            }
        }
    }

    /** A manual scale outside the autoscaler's range is undone at once. */
    private void scale(Manifest target, int replicas) {
        all.stream().filter(m -> m.kind().equals("HorizontalPodAutoscaler")
                        && target.kind().equals(m.at("/spec/scaleTargetRef/kind").asText())
                        && target.name().equals(m.at("/spec/scaleTargetRef/name").asText()))
                .forEach(hpa -> {
                    int min = hpa.at("/spec/minReplicas").asInt(1);
                    int max = hpa.at("/spec/maxReplicas").asInt();
                    // Zero stops the workload (the autoscaler does not act on a target scaled to zero).
                    if (replicas != 0 && (replicas < min || replicas > max)) {
                        problem(replicas + " replicas is outside " + hpa.id() + " " + min + ".." + max
                                + " (the autoscaler would undo it)");
                    }
                });
    }

    private void create(List<String> args, List<String> literals) {
        if (args.size() >= 3 && args.get(0).equals("secret") && args.get(1).equals("generic")) {
            object("Secret", args.get(2)).ifPresent(secret -> {
                Set<String> keys = new TreeSet<>();
                secret.body().path("data").fieldNames().forEachRemaining(keys::add);
                Set<String> written = new TreeSet<>();
                literals.forEach(literal -> written.add(literal.substring(0, literal.indexOf('='))));
                if (!written.equals(keys)) {
                    problem("writes keys " + written + " but Secret " + secret.name() + " has " + keys);
                }
            });
        } else if (args.size() >= 2 && args.get(0).equals("job")) {
            args.stream().filter(a -> a.startsWith("--from=")).forEach(from -> {
                String[] ref = from.substring("--from=".length()).split("/", 2);
                object(KINDS.getOrDefault(ref[0], ref[0]), ref.length > 1 ? ref[1] : "");
            });
        }
    }

    // --- pods, paths and in-pod commands --------------------------------------------------------------

    private static final Pattern ORDINAL_POD = Pattern.compile("(.+)-(\\d+)");

    /** A pod name the docs can know: a StatefulSet pod NAME-ORDINAL that exists with the replica count. */
    private Optional<Manifest> pod(String name) {
        if (name.contains("/")) {
            String[] ref = name.split("/", 2);
            return object(KINDS.getOrDefault(ref[0], ref[0]), ref[1]);
        }
        Optional<Manifest> pod = Manifest.find(all, "Pod", name);
        if (pod.isPresent()) {
            return pod;
        }
        Matcher ordinal = ORDINAL_POD.matcher(name);
        if (ordinal.matches()) {
            Optional<Manifest> set = Manifest.find(all, "StatefulSet", ordinal.group(1));
            if (set.isPresent()) {
                if (Integer.parseInt(ordinal.group(2)) >= set.get().at("/spec/replicas").asInt(1)) {
                    problem("pod " + name + " does not exist: StatefulSet " + ordinal.group(1) + " has "
                            + set.get().at("/spec/replicas").asInt(1) + " replica(s)");
                }
                return set;
            }
        }
        problem("pod " + name + " is neither a Pod nor the pod of a StatefulSet in the overlay");
        return Optional.empty();
    }

    private void copyEndpoint(String endpoint) {
        int colon = endpoint.indexOf(':');
        if (colon < 0) {
            return;
        }
        String pod = endpoint.substring(0, colon);
        if (pod.contains("/")) {
            String namespace = pod.substring(0, pod.indexOf('/'));
            if (!namespace.equals(RunbookCheck.NAMESPACE)) {
                problem("namespace " + namespace + " is not " + RunbookCheck.NAMESPACE);
            }
            pod = pod.substring(pod.indexOf('/') + 1);
        } else {
            problem("kubectl cp without the namespace (" + RunbookCheck.NAMESPACE + "/" + pod + ":...)");
        }
        pod(pod).ifPresent(workload -> path(workload, null, endpoint.substring(colon + 1), true));
    }

    private void inPodCommand(Manifest workload, String containerName, List<String> command) {
        JsonNode container = container(workload, containerName);
        for (int i = 0; i < command.size(); i++) {
            String token = command.get(i);
            if (token.startsWith("/")) {
                path(workload, containerName, token, false);
            }
            if (command.get(0).equals("psql") && i + 1 < command.size()) {
                String value = command.get(i + 1);
                if (token.equals("-d") && !Set.of("postgres", "template1").contains(value)
                        && !value.equals(RunbookCheck.env(container, "POSTGRES_DB"))) {
                    problem("database " + value + " is not POSTGRES_DB of " + workload.id());
                }
                if (token.equals("-U")) {
                    secretValue("db-credentials", "DB_USER").filter(user -> !user.equals(value))
                            .ifPresent(user -> problem("user " + value + " is not DB_USER of db-credentials (" + user + ")"));
                }
            }
        }
    }

    /** A path in a container must be on one of its volumes (the root filesystems are read-only). */
    private void path(Manifest workload, String containerName, String path, boolean write) {
        JsonNode container = container(workload, containerName);
        JsonNode mount = Manifest.stream(container.path("volumeMounts"))
                .filter(m -> path.equals(m.path("mountPath").asText())
                        || path.startsWith(m.path("mountPath").asText().replaceAll("/$", "") + "/"))
                .findFirst().orElse(null);
        if (mount == null) {
            problem(path + " is on no volume of " + workload.id() + " (its root filesystem is read-only)");
        } else if (write && mount.path("readOnly").asBoolean(false)) {
            problem(path + " is on a read-only volume of " + workload.id());
        }
        String file = path.substring(path.lastIndexOf('/') + 1);
        if (Set.of("postgresql.conf", "pg_hba.conf", "postgresql.auto.conf").contains(file)) {
            String pgdata = RunbookCheck.env(container, "PGDATA");
            if (!path.equals(pgdata + "/" + file)) {
                problem(path + " is not in PGDATA (" + pgdata + ") of " + workload.id());
            }
        }
    }

    private static JsonNode container(Manifest workload, String name) {
        return Manifest.stream(workload.podSpec().path("containers"))
                .filter(c -> name == null || name.equals(c.path("name").asText())).findFirst()
                .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    private Optional<String> secretValue(String secret, String key) {
        return Manifest.find(all, "Secret", secret).map(s -> s.at("/data/" + key).asText(null))
                .map(v -> new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8));
    }

    private Optional<Manifest> object(String kind, String name) {
        Optional<Manifest> found = Manifest.find(all, kind, name);
        if (found.isEmpty()) {
            problem(kind + " " + name + " does not exist in the production overlay");
        }
        return found;
    }

    private void problem(String text) {
        problems.add(where + ": " + text);
    }
}
