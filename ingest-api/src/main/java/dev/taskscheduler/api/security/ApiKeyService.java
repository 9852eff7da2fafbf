package dev.taskscheduler.api.security;

import dev.taskscheduler.api.audit.AuditLog;
import dev.taskscheduler.model.submission.FieldViolation;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import dev.taskscheduler.model.submission.SubmissionValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Creates, lists and revokes API keys; each creation and revocation is audited. */
@Service
public class ApiKeyService {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
    private static final int MAX_TASK_TYPES = 100;

    private final ApiKeyRepository keys;
    private final ApiKeyAuthenticator authenticator;
    private final AuditLog audit;
    private final TransactionTemplate transaction;
    private final SecurityProperties.ApiKeys settings;
    private final Clock clock = Clock.systemUTC();

    public ApiKeyService(ApiKeyRepository keys, ApiKeyAuthenticator authenticator, AuditLog audit,
            TransactionTemplate transaction, SecurityProperties properties) {
        this.keys = keys;
        this.authenticator = authenticator;
        this.audit = audit;
        this.transaction = transaction;
        this.settings = properties.apiKeys();
    }

    /**
     * Creates a key and returns it with the secret, which is not kept.
     *
     * @param createdBy the authenticated caller (or the process that bootstraps the first key)
     * @throws InvalidSubmissionException naming every invalid field
     */
    public CreatedApiKey create(NewApiKey request, String createdBy) {
        List<FieldViolation> violations = new ArrayList<>();
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            violations.add(new FieldViolation("name",
                    "must be 1 to 100 characters of letters, digits, '.', '_', '@' or '-'"));
        }
        List<String> scopes = checkScopes(request.scopes(), violations);
        List<String> taskTypes = checkTaskTypes(request.taskTypes(), scopes, violations);
        Instant expiresAt = checkExpiry(request, violations);
        if (!violations.isEmpty()) {
            throw new InvalidSubmissionException(violations);
        }
        String secret = ApiKeyFormat.generate();
        try {
            ApiKey created = Objects.requireNonNull(transaction.execute(status -> {
                ApiKey key = keys.insert(UUID.randomUUID(), request.name(), secret, scopes, taskTypes, expiresAt,
                        createdBy);
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("name", key.name());
                detail.put("prefix", key.prefix());
                detail.put("scopes", key.scopes());
                detail.put("taskTypes", key.taskTypes());
                detail.put("expiresAt", key.expiresAt());
                audit.record(createdBy, "api-key.created", key.id().toString(), detail);
                return key;
            }));
            return new CreatedApiKey(secret, created);
        } catch (DuplicateKeyException e) {
            throw new InvalidSubmissionException("name", "an active key named '" + request.name() + "' exists already");
        }
    }

    public List<ApiKey> list(boolean includeRevoked, int limit) {
        return keys.list(includeRevoked, limit);
    }

    /** Revokes a key; empty when there is no active key with this id. Takes effect at once here. */
    public Optional<ApiKey> revoke(UUID id, String revokedBy) {
        Optional<ApiKey> revoked = transaction.execute(status -> {
            Optional<ApiKey> key = keys.revoke(id, revokedBy);
            key.ifPresent(k -> audit.record(revokedBy, "api-key.revoked", id.toString(),
                    Map.of("name", k.name(), "prefix", k.prefix())));
            return key;
        });
        authenticator.forgetAll();
        return revoked;
    }

    /** Whether this secret is a key that authenticates now (used by the dev launcher for its own key). */
    public boolean isActive(String secret) {
        return ApiKeyFormat.isWellFormed(secret)
                && keys.findByHash(ApiKeyFormat.hash(secret)).map(key -> key.isActiveAt(clock.instant())).orElse(false);
    }

    private static List<String> checkScopes(List<String> scopes, List<FieldViolation> violations) {
        if (scopes == null || scopes.isEmpty()) {
            violations.add(new FieldViolation("scopes", "must name at least one scope"));
            return List.of();
        }
        for (String scope : scopes) {
            if (Scope.fromValue(scope).isEmpty()) {
                violations.add(new FieldViolation("scopes", "'" + scope + "' is not one of " + knownScopes()));
            }
        }
        return scopes.stream().distinct().toList();
    }

    private static List<String> checkTaskTypes(List<String> taskTypes, List<String> scopes,
            List<FieldViolation> violations) {
        if (taskTypes == null) {
            return null;
        }
        if (taskTypes.isEmpty() || taskTypes.size() > MAX_TASK_TYPES) {
            violations.add(new FieldViolation("taskTypes", "must list 1 to " + MAX_TASK_TYPES
                    + " task types, or be left out to reach every type"));
        } else if (taskTypes.stream().anyMatch(type -> !SubmissionValidator.isValidType(type))) {
            violations.add(new FieldViolation("taskTypes", "must hold valid task type names"));
        }
        if (scopes.contains(Scope.ADMIN.value())) {
            violations.add(new FieldViolation("taskTypes", "an admin key reaches every task type"));
        }
        return taskTypes.stream().distinct().toList();
    }

    private Instant checkExpiry(NewApiKey request, List<FieldViolation> violations) {
        Instant now = clock.instant();
        Instant expiresAt;
        if (request.expiresIn() != null && request.expiresAt() != null) {
            violations.add(new FieldViolation("expiresIn", "give expiresIn or expiresAt, not both"));
            return null;
        } else if (request.expiresAt() != null) {
            expiresAt = request.expiresAt();
        } else if (request.expiresIn() != null) {
            try {
                expiresAt = now.plus(Duration.parse(request.expiresIn()));
            } catch (DateTimeParseException | ArithmeticException e) {
                violations.add(new FieldViolation("expiresIn", "must be an ISO-8601 duration, e.g. P90D"));
                return null;
            }
        } else {
            expiresAt = now.plus(settings.defaultLifetime());
        }
        if (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(settings.maxLifetime()))) {
            violations.add(new FieldViolation(request.expiresAt() != null ? "expiresAt" : "expiresIn",
                    "must lie in the future, at most " + settings.maxLifetime().toDays() + " days ahead"));
        }
        return expiresAt;
    }

    private static List<String> knownScopes() {
        return java.util.Arrays.stream(Scope.values()).map(Scope::value).toList();
    }
}
