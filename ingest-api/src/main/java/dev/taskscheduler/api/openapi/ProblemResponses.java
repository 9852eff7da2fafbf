package dev.taskscheduler.api.openapi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error answers an operation can give beyond those every operation of its kind gives (401 and
 * 403 for a protected one, 400 for one with parameters or a body, 413 and 415 for a body, 500).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface ProblemResponses {
    ProblemResponse[] value();
}
