package dev.taskscheduler.deploy.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Static checks of deploy/images/<service>/Dockerfile (no Docker engine needed): a pinned base
 * image, the layered extraction of the Spring Boot jar, a numeric non-root USER that is the user
 * the Kubernetes pods run as, the service port exposed, an ENTRYPOINT, and a .dockerignore that
 * keeps the build context to the jar. The postgres image (PostgreSQL with pgBackRest, on the
 * official image's entrypoint) gets the checks that apply to it: pinned base, user, port,
 * .dockerignore.
 */
final class DockerfileCheck {

    private static final Pattern INSTALLS_PGBACKREST = Pattern.compile("apt-get install[^&;|]*\\spgbackrest(\\s|$)");

    private DockerfileCheck() {
    }

    static List<String> check(Path imagesDir, List<Manifest> reference) throws IOException {
        List<String> problems = new ArrayList<>();
        postgres(imagesDir, reference, problems);
        for (var service : ComposeCheck.SERVICES.entrySet()) {
            Path dockerfile = imagesDir.resolve(service.getKey()).resolve("Dockerfile");
            String where = imagesDir.getFileName() + "/" + service.getKey() + "/Dockerfile";
            if (!Files.isRegularFile(dockerfile)) {
                problems.add(where + " does not exist");
                continue;
            }
            if (!Files.isRegularFile(dockerfile.resolveSibling("Dockerfile.dockerignore"))) {
                problems.add(where + ": no Dockerfile.dockerignore next to it");
            }
            Map<String, String> args = new HashMap<>();
            List<String> stages = new ArrayList<>();
            String user = null;
            String exposed = null;
            boolean extracts = false;
            boolean entrypoint = false;
            for (String instruction : instructions(Files.readAllLines(dockerfile))) {
                String[] parts = instruction.split("\\s+", 2);
                String keyword = parts[0].toUpperCase();
                String rest = parts.length > 1 ? parts[1].trim() : "";
                switch (keyword) {
                    case "ARG" -> {
                        int equals = rest.indexOf('=');
                        if (equals > 0) {
                            args.put(rest.substring(0, equals), rest.substring(equals + 1));
                        }
                    }
                    case "FROM" -> {
                        String[] words = rest.split("\\s+");
                        String image = substitute(words[0], args);
                        String problem = stages.contains(image) ? null : PolicyCheck.imageProblem(image);
                        if (problem != null) {
                            problems.add(where + ": base " + problem);
                        }
                        if (words.length == 3 && words[1].equalsIgnoreCase("AS")) {
                            stages.add(words[2]);
                        }
                    }
                    case "RUN" -> extracts |= rest.contains("-Djarmode=tools") && rest.contains("extract --layers");
                    case "USER" -> user = rest;
                    case "EXPOSE" -> exposed = rest;
                    case "ENTRYPOINT" -> entrypoint = true;
                    default -> { }
                }
            }
            if (!extracts) {
                problems.add(where + ": does not extract the jar's layers (java -Djarmode=tools ... extract --layers)");
            }
            if (!entrypoint) {
                problems.add(where + ": no ENTRYPOINT");
            }
            String uid = user == null ? "" : user.split(":")[0];
            if (!uid.matches("[1-9][0-9]*")) {
                problems.add(where + ": USER must be a numeric non-root user id (runAsNonRoot can only verify those), is "
                        + user);
            }
            Manifest workload = Manifest.find(reference, service.getValue(), service.getKey()).orElse(null);
            if (workload != null) {
                JsonNode podUser = workload.podSpec().at("/securityContext/runAsUser");
                if (!podUser.asText().equals(uid)) {
                    problems.add(where + ": USER " + uid + " is not the pod's runAsUser " + podUser.asText());
                }
                String port = workload.containers().filter(c -> c.path("name").asText().equals(service.getKey()))
                        .flatMap(c -> Manifest.stream(c.path("ports"))).map(p -> p.path("containerPort").asText())
                        .findFirst().orElse("");
                if (!port.equals(exposed)) {
                    problems.add(where + ": EXPOSE " + exposed + " is not the container port " + port);
                }
            }
        }
        return problems;
    }

    private static void postgres(Path imagesDir, List<Manifest> reference, List<String> problems) throws IOException {
        Path dockerfile = imagesDir.resolve("postgres").resolve("Dockerfile");
        String where = imagesDir.getFileName() + "/postgres/Dockerfile";
        if (!Files.isRegularFile(dockerfile)) {
            problems.add(where + " does not exist");
            return;
        }
        if (!Files.isRegularFile(dockerfile.resolveSibling("Dockerfile.dockerignore"))) {
            problems.add(where + ": no Dockerfile.dockerignore next to it");
        }
        Map<String, String> args = new HashMap<>();
        String user = null;
        String exposed = null;
        boolean pgbackrest = false;
        for (String instruction : instructions(Files.readAllLines(dockerfile))) {
            String[] parts = instruction.split("\\s+", 2);
            String rest = parts.length > 1 ? parts[1].trim() : "";
            switch (parts[0].toUpperCase()) {
                case "ARG" -> {
                    int equals = rest.indexOf('=');
                    if (equals > 0) {
                        args.put(rest.substring(0, equals), rest.substring(equals + 1));
                    }
                }
                case "FROM" -> {
                    String problem = PolicyCheck.imageProblem(substitute(rest.split("\\s+")[0], args));
                    if (problem != null) {
                        problems.add(where + ": base " + problem);
                    }
                }
                case "RUN" -> pgbackrest |= INSTALLS_PGBACKREST.matcher(rest).find();
                case "USER" -> user = rest;
                case "EXPOSE" -> exposed = rest;
                default -> { }
            }
        }
        if (!pgbackrest) {
            problems.add(where + ": does not install pgbackrest (archive_command and the backups run it)");
        }
        String uid = user == null ? "" : user.split(":")[0];
        if (!uid.matches("[1-9][0-9]*")) {
            problems.add(where + ": USER must be a numeric non-root user id (runAsNonRoot can only verify those), is "
                    + user);
        }
        Manifest.find(reference, "StatefulSet", "postgres").ifPresent(workload -> {
            String podUser = workload.podSpec().at("/securityContext/runAsUser").asText();
            if (!podUser.equals(uid)) {
                problems.add(where + ": USER " + uid + " is not the pod's runAsUser " + podUser);
            }
        });
        if (!"5432".equals(exposed)) {
            problems.add(where + ": EXPOSE " + exposed + " is not PostgreSQL's port 5432");
        }
    }

    /** Dockerfile instructions: comments dropped, continuation lines joined. */
    private static List<String> instructions(List<String> lines) {
        List<String> instructions = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            String text = line.strip();
            if (text.startsWith("#") || (text.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (text.endsWith("\\")) {
                current.append(text, 0, text.length() - 1).append(' ');
                continue;
            }
            current.append(text);
            if (current.length() > 0) {
                instructions.add(current.toString());
            }
            current.setLength(0);
        }
        return instructions;
    }

    private static String substitute(String text, Map<String, String> args) {
        String result = text;
        for (var arg : args.entrySet()) {
            result = result.replace("${" + arg.getKey() + "}", arg.getValue()).replace("$" + arg.getKey(), arg.getValue());
        }
        return result;
    }
}
