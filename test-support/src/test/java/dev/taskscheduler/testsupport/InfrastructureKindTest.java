package dev.taskscheduler.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.function.BooleanSupplier;

import dev.taskscheduler.testsupport.Infrastructure.Kind;
import org.junit.jupiter.api.Test;

class InfrastructureKindTest {

    private static final BooleanSupplier MUST_NOT_LOOK_FOR_DOCKER = () -> {
        throw new AssertionError("Docker was looked for although the choice was forced");
    };

    @Test
    void forcedChoiceWinsWithoutLookingForDocker() {
        assertThat(Infrastructure.chooseKind("local", MUST_NOT_LOOK_FOR_DOCKER)).isEqualTo(Kind.LOCAL);
        assertThat(Infrastructure.chooseKind(" Containers ", MUST_NOT_LOOK_FOR_DOCKER)).isEqualTo(Kind.CONTAINERS);
    }

    @Test
    void withoutAChoiceDockerDecides() {
        assertThat(Infrastructure.chooseKind("", () -> true)).isEqualTo(Kind.CONTAINERS);
        assertThat(Infrastructure.chooseKind("", () -> false)).isEqualTo(Kind.LOCAL);
    }

    @Test
    void unknownChoiceIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Infrastructure.chooseKind("docker", () -> true))
                .withMessageContaining("test.infrastructure=docker");
    }
}
