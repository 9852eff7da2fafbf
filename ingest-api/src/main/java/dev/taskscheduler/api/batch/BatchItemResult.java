package dev.taskscheduler.api.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;
import org.springframework.http.ProblemDetail;

/**
 * What became of one task of a batch, at the same index as in the request.
 *
 * @param index    position in the request
 * @param status   the status the single-task endpoint would have answered: 202, 400 or 422
 * @param id       the task's id when accepted
 * @param replayed true when the idempotency key matched an earlier, identical submission
 * @param problem  RFC 9457 problem details when rejected, as the single-task endpoint gives them
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BatchItemResult(int index, int status, UUID id, Boolean replayed, ProblemDetail problem) {

    static BatchItemResult accepted(int index, UUID id, boolean replayed) {
        return new BatchItemResult(index, 202, id, replayed, null);
    }

    static BatchItemResult rejected(int index, ProblemDetail problem) {
        return new BatchItemResult(index, problem.getStatus(), null, null, problem);
    }
}
