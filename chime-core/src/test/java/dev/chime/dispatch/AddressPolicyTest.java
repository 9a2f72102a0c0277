package dev.chime.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.schedule.ScheduleJson;
import dev.chime.schedule.TargetJson;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which targets the guard refuses from their URL alone, in every way an address can be written. */
class AddressPolicyTest {
  private static final TargetGuard DEFAULT = TargetGuard.DEFAULT;
  private static final TargetGuard LOCKED =
      new TargetGuard(new AddressPolicy(false, false, List.of()), HostResolver.SYSTEM);

  private static Optional<String> refusal(TargetGuard guard, String url) {
    return guard.refusalOf(URI.create(url), TargetAllowList.ANY);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.0.1/",
        "http://[::ffff:169.254.169.254]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[::169.254.169.254]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
        "http://[febf:ffff::1]/",
        "http://2852039166/",
        "http://0xa9fea9fe/",
        "http://0XA9FEA9FE/",
        "http://100.100.100.200/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "http://METADATA.GOOGLE.INTERNAL./",
        "http://224.0.0.1/",
        "http://255.255.255.255/",
        "http://[ff02::1]/"
      })
  void linkLocalMetadataAndNonUnicastAddressesAreRefusedWhateverTheConfiguration(String url) {
    assertThat(refusal(DEFAULT, url))
        .hasValueSatisfying(r -> assertThat(r).contains("never calls"));
    assertThat(refusal(LOCKED, url)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://017700000001/",
        "http://0177.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://0.0.0.0/",
        "http://0/",
        "http://[::]/",
        "http://localhost:8080/",
        "http://api.localhost/"
      })
  void loopbackInEveryFormIsAllowedByDefaultAndRefusedWhenLockedDown(String url) {
    assertThat(refusal(DEFAULT, url)).isEmpty();
    assertThat(refusal(LOCKED, url))
        .hasValueSatisfying(r -> assertThat(r).contains("target.loopback is refuse"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://10.0.0.1/",
        "http://10.255.255.255/",
        "http://167772161/",
        "http://172.16.0.1/",
        "http://172.31.255.255/",
        "http://192.168.1.1/",
        "http://100.64.0.1/",
        "http://100.127.255.255/",
        "http://[fc00::1]/",
        "http://[fd12:3456::1]/",
        "http://[::ffff:10.1.2.3]/"
      })
  void privateRangesAreAllowedByDefaultAndRefusedWhenLockedDown(String url) {
    assertThat(refusal(DEFAULT, url)).isEmpty();
    assertThat(refusal(LOCKED, url))
        .hasValueSatisfying(r -> assertThat(r).contains("target.private is refuse"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://example.com/hook",
        "http://8.8.8.8/",
        "http://172.32.0.1/",
        "http://100.128.0.1/",
        "http://192.169.0.1/",
        "http://[2001:db8::1]/"
      })
  void publicAddressesAndNamesAreNotRefusedFromTheUrl(String url) {
    assertThat(refusal(LOCKED, url)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://0251.0376.0251.0376/",
        "http://169.254.43518/",
        "http://169.16689662/",
        "http://169.254.169.254./",
        "http://127.1/"
      })
  void dottedFormsThatAreNoQuadNameNoHostAndAreRefusedAsTheyAreWritten(String url) {
    // java.net.URI reads them as an authority without a host: no client can call them
    assertThat(URI.create(url).getHost()).isNull();
    assertThat(refusal(DEFAULT, url)).isPresent();
    ScheduleJson.Errors errors = new ScheduleJson.Errors();
    TargetJson.read(ScheduleJson.parse("{\"url\":\"" + url + "\"}"), "target", errors);
    assertThat(errors.isEmpty()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"169.254.43518", "169.16689662", "0251.0376.0251.0376", "0xa9.0xfe.0xa9.0xfe"})
  void everyNumericFormOfAnAddressIsReadAsTheResolverReadsIt(String host) {
    assertThat(NumericHost.literal(host).map(InetAddress::getHostAddress))
        .hasValue("169.254.169.254");
  }

  @Test
  void theRefusalNamesTheAddressAndWhy() {
    assertThat(refusal(DEFAULT, "http://2852039166/"))
        .hasValue(
            "the address 169.254.169.254 of 2852039166 is a link-local or cloud metadata address,"
                + " which Chime never calls");
    assertThat(refusal(DEFAULT, "http://[::ffff:169.254.169.254]/"))
        .hasValueSatisfying(r -> assertThat(r).startsWith("the address 169.254.169.254 of ::ffff"));
  }

  @Test
  void allowedNetworksOpenPartsOfRefusedRangesButNeverMetadata() throws Exception {
    TargetGuard guard =
        new TargetGuard(
            new AddressPolicy(
                false,
                false,
                List.of(Cidr.of("10.1.0.0/16"), Cidr.of("127.0.0.2"), Cidr.of("169.254.0.0/16"))),
            HostResolver.SYSTEM);

    assertThat(refusal(guard, "http://10.1.2.3/")).isEmpty();
    assertThat(refusal(guard, "http://127.0.0.2/")).isEmpty();
    assertThat(refusal(guard, "http://10.2.0.1/")).isPresent();
    assertThat(refusal(guard, "http://127.0.0.1/")).isPresent();
    assertThat(refusal(guard, "http://169.254.169.254/")).isPresent();
  }

  @Test
  void aTenantAllowListNarrowsByHostNameOrAddressBlock() throws Exception {
    TargetAllowList hostsOnly = TargetAllowList.of(List.of("api.example.com", "*.svc.internal"));
    TargetAllowList withBlock = TargetAllowList.of(List.of("api.example.com", "10.1.0.0/16"));

    assertThat(DEFAULT.refusalOf(URI.create("https://api.example.com/x"), hostsOnly)).isEmpty();
    assertThat(DEFAULT.refusalOf(URI.create("http://a.b.svc.internal/"), hostsOnly)).isEmpty();
    assertThat(DEFAULT.refusalOf(URI.create("http://svc.internal/"), hostsOnly))
        .hasValueSatisfying(r -> assertThat(r).contains("not on this tenant's target allow-list"));
    assertThat(DEFAULT.refusalOf(URI.create("http://10.1.0.5/"), hostsOnly)).isPresent();
    // a name off the list may still resolve into a listed block: only the call can tell
    assertThat(DEFAULT.refusalOf(URI.create("http://other.example/"), withBlock)).isEmpty();
    assertThat(DEFAULT.refusal("other.example", address("10.1.9.9"), withBlock)).isEmpty();
    assertThat(DEFAULT.refusal("other.example", address("10.2.0.1"), withBlock))
        .hasValue(
            "the address 10.2.0.1 of other.example is not on this tenant's target allow-list"
                + " [api.example.com, 10.1.0.0/16]");
    // never wider than the policy
    assertThat(
            DEFAULT.refusal(
                "api.example.com",
                address("169.254.169.254"),
                TargetAllowList.of(List.of("169.254.0.0/16"))))
        .isPresent();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "api.example.com|",
        "*.example.com|",
        "10.0.0.0/8|",
        "fd12::/48|",
        "127.0.0.1|",
        "exa mple.com|is not a host name",
        "*.*.example.com|is not a host name",
        "10.0.0.0/33|is not an address block",
        "10|is an address in a form",
        "http://example.com|is not an address block"
      })
  void allowListEntriesAreHostNamesOrAddressBlocks(String entry, String problem) {
    if (problem == null) {
      assertThat(TargetAllowList.problem(entry)).isEmpty();
    } else {
      assertThat(TargetAllowList.problem(entry))
          .hasValueSatisfying(p -> assertThat(p).startsWith(problem));
    }
  }

  @Test
  void blocksCompareIpv4InIpv6AsIpv4() throws Exception {
    assertThat(Cidr.of("10.0.0.0/8").contains(address("::ffff:10.9.8.7"))).isTrue();
    assertThat(Cidr.of("fc00::/7").contains(address("fdff::1"))).isTrue();
    assertThat(Cidr.of("fc00::/7").contains(address("fe00::1"))).isFalse();
    assertThat(Cidr.parse("2130706433")).isEmpty();
    assertThat(Cidr.parse("010.0.0.1")).isEmpty();
    assertThat(Cidr.of("10.1.2.3/16")).hasToString("10.1.0.0/16");
  }

  private static InetAddress address(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }
}
