package dev.taskscheduler.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class the JVM's shared {@link Infrastructure} (real Kafka, PostgreSQL and Redis), started before the
 * class's tests, and lets constructors, test and lifecycle methods declare an {@link Infrastructure} parameter.
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(InfrastructureExtension.class)
public @interface RealInfrastructure {
}
