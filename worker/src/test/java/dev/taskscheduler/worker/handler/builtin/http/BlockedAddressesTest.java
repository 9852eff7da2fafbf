package dev.taskscheduler.worker.handler.builtin.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The address ranges the http handler refuses, over many addresses and the ways to write them. */
class BlockedAddressesTest {

    @Property(tries = 300)
    void everyLoopbackPrivateAndLinkLocalIpv4AddressIsBlockedHoweverItIsWritten(
            @ForAll("internalFirstOctets") int first, @ForAll @IntRange(max = 255) int b,
            @ForAll @IntRange(max = 255) int c, @ForAll @IntRange(max = 255) int d) throws Exception {
        int second = first == 172 ? 16 + (b % 16) : first == 169 ? 254 : first == 192 ? 168 : first == 100 ? 64 + (b % 64) : b;
        String v4 = first + "." + second + "." + c + "." + d;
        String hex = String.format("%02x%02x:%02x%02x", first, second, c, d);

        for (String written : new String[] {v4, "::ffff:" + v4, "::ffff:" + hex, "::" + hex, "64:ff9b::" + hex,
                "2002:" + hex + "::1"}) {
            assertThat(BlockedAddresses.reason(InetAddress.getByName(written))).as(written).isPresent();
        }
    }

    @Property(tries = 300)
    void publicIpv4AddressesAreAllowed(@ForAll @IntRange(min = 1, max = 223) int first,
            @ForAll @IntRange(max = 255) int b, @ForAll @IntRange(max = 255) int c, @ForAll @IntRange(max = 255) int d)
            throws Exception {
        boolean special = first == 10 || first == 127 || first == 100 && b >= 64 && b < 128
                || first == 169 && b == 254 || first == 172 && b >= 16 && b < 32 || first == 192
                || first == 198 && (b == 18 || b == 19 || b == 51) || first == 203 && b == 0;
        if (special) {
            return;
        }
        assertThat(BlockedAddresses.reason(InetAddress.getByName(first + "." + b + "." + c + "." + d))).isEmpty();
    }

    @Property(tries = 100)
    void noncanonicalNumericHostsAreRecognisedAsSuch(@ForAll @IntRange(min = 0) int number) {
        assertThat(IpLiterals.looksNumeric(Integer.toString(number))).isTrue();
        assertThat(IpLiterals.isCanonical(Integer.toString(number))).isFalse();
        assertThat(IpLiterals.isCanonical("0" + (number % 256) + ".0.0.1")).isFalse();
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Integer> internalFirstOctets() {
        return net.jqwik.api.Arbitraries.of(10, 127, 169, 172, 192, 100);
    }
}
