package dev.taskscheduler.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The key format: what the server accepts before it looks a key up. */
class ApiKeyFormatTest {

    @Property(tries = 200)
    void everyGeneratedKeyIsWellFormedAndRecognisable(@ForAll("keys") String key) {
        assertThat(ApiKeyFormat.isWellFormed(key)).isTrue();
        assertThat(key).startsWith("tsk_").hasSize(ApiKeyFormat.LENGTH);
        assertThat(ApiKeyFormat.hash(key)).hasSize(32);
    }

    @Property(tries = 500)
    void anyChangedCharacterMakesAKeyMalformed(@ForAll("keys") String key,
            @ForAll @IntRange(min = 4, max = 54) int position, @ForAll char replacement) {
        if (key.charAt(position) == replacement) {
            return;
        }
        String changed = key.substring(0, position) + replacement + key.substring(position + 1);

        assertThat(ApiKeyFormat.isWellFormed(changed)).isFalse();
    }

    @Property(tries = 500)
    void arbitraryTextIsRefusedWithoutAnError(@ForAll String text) {
        assertThat(ApiKeyFormat.isWellFormed(text)).isFalse();
        assertThat(ApiKeyFormat.isWellFormed("tsk_" + text)).isFalse();
    }

    @Example
    void generatedKeysDoNotRepeat() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            keys.add(ApiKeyFormat.generate());
        }
        assertThat(keys).hasSize(10_000);
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.create(ApiKeyFormat::generate);
    }
}
