package dev.taskscheduler.api.security;

import static dev.taskscheduler.api.openapi.ProblemResponse.NOT_FOUND;

import dev.taskscheduler.api.openapi.ApiTags;
import dev.taskscheduler.api.openapi.ProblemResponses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.taskscheduler.model.submission.InvalidSubmissionException;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** API keys for admins: create (the key is in this answer only), list, revoke. */
@Tag(name = ApiTags.API_KEYS)
@RestController
@RequestMapping("/api/v1/admin/keys")
class ApiKeyController {

    private static final int MAX_PAGE = 1000;

    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    @Operation(operationId = "createApiKey",
            summary = "Create an API key",
            description = "The answer holds the key, shown this once.",
            responses = @ApiResponse(responseCode = "201", description = "The key is created.",
                    headers = @Header(name = "Location", description = "The key's URL.",
                            schema = @Schema(type = "string", format = "uri-reference"))))
    @PostMapping
    ResponseEntity<CreatedApiKey> create(@RequestBody NewApiKey request, @AuthenticationPrincipal Caller caller) {
        CreatedApiKey created = keys.create(request, caller.name());
        return ResponseEntity.created(URI.create("/api/v1/admin/keys/" + created.apiKey().id())).body(created);
    }

    @Operation(operationId = "listApiKeys", summary = "List API keys", description = "Never the keys themselves.")
    @GetMapping
    List<ApiKey> list(@RequestParam(defaultValue = "false") boolean includeRevoked,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new InvalidSubmissionException("limit", "must be between 1 and " + MAX_PAGE);
        }
        return keys.list(includeRevoked, limit);
    }

    /** Revokes a key: 200 with the key, 404 when there is no active key with this id. */
    @ProblemResponses({NOT_FOUND})
    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key")
    @DeleteMapping("/{id}")
    ApiKey revoke(@PathVariable UUID id, @AuthenticationPrincipal Caller caller) {
        return keys.revoke(id, caller.name()).orElseThrow(() -> new ApiKeyNotFoundException(id));
    }
}
