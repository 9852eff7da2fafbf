package dev.taskscheduler.api.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.UUIDSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The RFC 9457 problem answers in the document: the schemas, one response each, and which operation gives which. */
final class ProblemAnswers {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String PROBLEM = "Problem";
    static final String FIELD_ERROR = "FieldError";

    private ProblemAnswers() {
    }

    /**
     * Adds the problems every operation of its kind can give (all are protected: 401 and 403; with
     * parameters or a body 400; with a body 413 and 415; always 500) and the declared ones.
     */
    static void add(Operation operation, List<ProblemResponse> declared) {
        Set<ProblemResponse> answers = EnumSet.of(ProblemResponse.UNAUTHORIZED, ProblemResponse.FORBIDDEN,
                ProblemResponse.INTERNAL_ERROR);
        boolean hasBody = operation.getRequestBody() != null;
        if (hasBody || (operation.getParameters() != null && !operation.getParameters().isEmpty())) {
            answers.add(ProblemResponse.BAD_REQUEST);
        }
        if (hasBody) {
            answers.add(ProblemResponse.CONTENT_TOO_LARGE);
            answers.add(ProblemResponse.UNSUPPORTED_MEDIA_TYPE);
        }
        answers.addAll(declared);
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        for (ProblemResponse answer : answers) {
            responses.addApiResponse(answer.statusCode(),
                    new ApiResponse().$ref("#/components/responses/" + answer.component()));
        }
        operation.setResponses(responses);
    }

    static void addComponents(Components components) {
        components.addSchemas(FIELD_ERROR, new ObjectSchema()
                .description("One invalid field of a request and what is wrong with it.")
                .addProperty("field", new StringSchema().description("The field, e.g. `runAt` or `retry.maxDelay`.")
                        .example("runAt"))
                .addProperty("message", new StringSchema().description("What is wrong, for people.")
                        .example("must be an ISO-8601 date-time with offset"))
                .required(List.of("field", "message")));
        components.addSchemas(PROBLEM, new ObjectSchema()
                .description("An RFC 9457 problem: what went wrong, for programs (`type`, `status`) and people.")
                .addProperty("type", new StringSchema().format("uri")
                        .description("Identifies the kind of problem.")
                        .example("https://task-scheduler.dev/problems/invalid-task"))
                .addProperty("title", new StringSchema().description("The kind of problem, for people.")
                        .example("Invalid task submission"))
                .addProperty("status", new IntegerSchema().format("int32").description("The HTTP status.").example(400))
                .addProperty("detail", new StringSchema().description("This occurrence, for people."))
                .addProperty("instance", new StringSchema().format("uri-reference")
                        .description("The request path."))
                .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/" + FIELD_ERROR))
                        .description("With 400 for invalid input: each invalid field."))
                .addProperty("existingTaskId", new UUIDSchema()
                        .description("With 422 for a reused idempotency key: the task it names, when the caller"
                                + " reaches its type."))
                .addProperty("taskStatus", new StringSchema()
                        .description("With 409 for a task: the status it is in, e.g. `cancelled`.").example("cancelled"))
                .required(new ArrayList<>(List.of("type", "title", "status"))));
        for (ProblemResponse answer : ProblemResponse.values()) {
            ApiResponse response = new ApiResponse().description(answer.description())
                    .content(new Content().addMediaType(PROBLEM_JSON,
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
            if (answer == ProblemResponse.SERVICE_UNAVAILABLE) {
                response.addHeaderObject("Retry-After", new Header()
                        .description("Seconds to wait before retrying.")
                        .schema(new IntegerSchema().minimum(java.math.BigDecimal.ONE).example(1)));
            }
            if (answer == ProblemResponse.UNAUTHORIZED) {
                response.addHeaderObject("WWW-Authenticate", new Header()
                        .description("The bearer challenge of RFC 6750.").schema(new StringSchema().example("Bearer")));
            }
            components.addResponses(answer.component(), response);
        }
    }
}
