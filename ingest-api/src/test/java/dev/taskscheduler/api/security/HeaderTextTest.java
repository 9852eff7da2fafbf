package dev.taskscheduler.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/** The firewall's header rule without a regular expression decides every text as Spring Security's does. */
class HeaderTextTest {

    @Property(tries = 3000)
    void namesAreDecidedAsByStrictHttpFirewall(@ForAll("headerTexts") String text) {
        assertThat(HeaderText.NAMES.test(text)).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_NAMES.test(text));
        assertThat(HeaderText.NAMES.test(text)).isEqualTo(StrictHttpFirewall.ALLOWED_PARAMETER_NAMES.test(text));
    }

    @Property(tries = 3000)
    void valuesAreDecidedAsByStrictHttpFirewall(@ForAll("headerTexts") String text) {
        assertThat(HeaderText.VALUES.test(text)).isEqualTo(StrictHttpFirewall.ALLOWED_HEADER_VALUES.test(text));
    }

    @Example
    void printableTextPassesAndControlsDoNot() {
        assertThat(HeaderText.VALUES.test("Bearer tsk_abc.def")).isTrue();
        assertThat(HeaderText.VALUES.test("a\tb")).isTrue();
        assertThat(HeaderText.NAMES.test("a\tb")).isFalse();
        assertThat(HeaderText.VALUES.test("line\r\nInjected: yes")).isFalse();
        assertThat(HeaderText.VALUES.test("del\u007F")).isFalse();
        assertThat(HeaderText.VALUES.test("C1 control \u0085")).isFalse();
        assertThat(HeaderText.VALUES.test("unassigned \u0378")).isFalse();
        assertThat(HeaderText.VALUES.test("caf\u00e9 \uD83D\uDE00")).isTrue();
        assertThat(HeaderText.VALUES.test(null)).isTrue();
        assertThat(HeaderText.NAMES.test(null)).isFalse();
    }

    /** Mostly printable ASCII, as real headers are, mixed with any UTF-16 unit: controls, unassigned, lone surrogates. */
    @Provide
    Arbitrary<String> headerTexts() {
        Arbitrary<Character> ascii = Arbitraries.chars().range(' ', '~');
        Arbitrary<Character> any = Arbitraries.chars().all();
        Arbitrary<Character> edges = Arbitraries.of('\t', '\r', '\n', '\u0000', '\u007F', '\u0085', '\u0378',
                '\uD83D', '\uDE00', '\uFFFF', '\u00e9');
        return Arbitraries.frequencyOf(Tuple.of(8, ascii), Tuple.of(1, any), Tuple.of(2, edges)).list().ofMaxSize(40)
                .map(chars -> {
                    StringBuilder text = new StringBuilder(chars.size());
                    chars.forEach(text::append);
                    return text.toString();
                });
    }
}
