package dev.tandem.os;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tandem.lab.Lab;
import dev.tandem.net.IpAddress;
import dev.tandem.net.InterfaceAddress;
import dev.tandem.testing.Needs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Virtual addresses going on and off a veth end in a namespace, and the
 * gratuitous ARP that announces one, seen from the other end.
 */
@Tag("netns")
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AddressManagerLabTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final IpAddress VIP = IpAddress.parse("10.77.0.100").orElseThrow();
    private static final IpAddress VIP2 = IpAddress.parse("10.77.0.101").orElseThrow();

    private VethLab lab;
    private LinuxAddressManager manager;

    @BeforeEach
    void setUp() throws Exception {
        Needs.need(Lab.root(), "address manager lab needs root for network namespaces and AF_PACKET");
        lab = VethLab.create();
        manager = Netns.call(lab.a, LinuxAddressManager::new);
    }

    @AfterEach
    void tearDown() {
        if (manager != null) {
            manager.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private void flush() throws Exception {
        manager.flush().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void addAndRemoveAreIdempotent() throws Exception {
        manager.add(VethLab.DEV_A, new InterfaceAddress(VIP, 32));
        flush();
        assertThat(lab.addresses(lab.a, VethLab.DEV_A)).contains("inet 10.77.0.100/32");

        manager.add(VethLab.DEV_A, new InterfaceAddress(VIP, 32));
        flush();
        assertThat(manager.failures()).as("adding what is there").isZero();
        assertThat(lab.addresses(lab.a, VethLab.DEV_A)).containsOnlyOnce("inet 10.77.0.100/32");

        manager.remove(VethLab.DEV_A, new InterfaceAddress(VIP, 32));
        flush();
        assertThat(lab.addresses(lab.a, VethLab.DEV_A)).doesNotContain("inet 10.77.0.100/32")
                .contains("inet 10.77.0.1/24");

        manager.remove(VethLab.DEV_A, new InterfaceAddress(VIP, 32));
        flush();
        assertThat(manager.failures()).as("removing what is absent").isZero();
    }

    @Test
    void vipWithTheSubnetPrefixKeepsItsHostBits() throws Exception {
        manager.add(VethLab.DEV_A, VIP2, 24);
        flush();
        assertThat(lab.addresses(lab.a, VethLab.DEV_A)).contains("inet 10.77.0.101/24", "inet 10.77.0.1/24");

        manager.remove(VethLab.DEV_A, VIP2, 24);
        flush();
        assertThat(lab.addresses(lab.a, VethLab.DEV_A)).doesNotContain("inet 10.77.0.101/24")
                .contains("inet 10.77.0.1/24");
        assertThat(manager.failures()).isZero();
    }

    @Test
    void ipv6VipIsUsableAtOnce() throws Exception {
        IpAddress v6 = IpAddress.parse("2001:db8::100").orElseThrow();
        manager.add(VethLab.DEV_A, v6, 64);
        manager.announce(VethLab.DEV_A, v6);
        flush();
        String shown = lab.ip("-n", lab.a, "-o", "addr", "show", "dev", VethLab.DEV_A, "to", "2001:db8::100/128");
        assertThat(shown).contains("inet6 2001:db8::100/64").doesNotContain("tentative");
        assertThat(manager.failures()).isZero();
        assertThat(manager.announcements()).as("IPv6 is not announced").isZero();
    }

    @Test
    void failuresAreCountedAndLaterOperationsStillRun() throws Exception {
        manager.add("nosuch0", new InterfaceAddress(VIP, 32));
        manager.announce("nosuch0", VIP);
        manager.add(VethLab.DEV_A, new InterfaceAddress(VIP, 32));
        flush();
        assertThat(manager.failures()).isEqualTo(2);
        assertThat(lab.addresses(lab.a, VethLab.DEV_A)).contains("inet 10.77.0.100/32");
    }

    @Test
    void announcementIsAGratuitousArpFromTheDevicesMac() throws Exception {
        String macA = lab.mac(lab.a, VethLab.DEV_A);
        VethLab.Watched dump = lab.spawn(lab.b, "tcpdump", "-l", "-n", "-e", "-i", VethLab.DEV_B, "arp");
        dump.await(l -> l.contains("listening on"), WAIT);

        manager.add(VethLab.DEV_A, new InterfaceAddress(VIP, 32));
        manager.announce(VethLab.DEV_A, VIP);

        String line = dump.await(l -> l.contains("10.77.0.100"), WAIT);
        assertThat(line).contains(macA + " > ff:ff:ff:ff:ff:ff")
                .contains("Request who-has 10.77.0.100 tell 10.77.0.100");
        flush();
        assertThat(manager.announcements()).isEqualTo(1);
        assertThat(manager.failures()).isZero();
    }

    @Test
    void closeFinishesQueuedOperations() throws Exception {
        manager.add(VethLab.DEV_A, new InterfaceAddress(VIP, 32));
        manager.add(VethLab.DEV_A, VIP2, 24);
        manager.close();
        assertThat(lab.addresses(lab.a, VethLab.DEV_A)).contains("inet 10.77.0.100/32", "inet 10.77.0.101/24");

        manager.add(VethLab.DEV_A, new InterfaceAddress(IpAddress.parse("10.77.0.102").orElseThrow(), 32));
        assertThat(manager.failures()).as("refused after close").isEqualTo(1);
        assertThat(manager.flush()).isCompletedExceptionally();
    }

    @Test
    void addAndRemoveCost() throws Exception {
        int n = 20;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            manager.add(VethLab.DEV_A, new InterfaceAddress(IpAddress.parse("10.77.1." + (i + 1)).orElseThrow(), 32));
        }
        flush();
        long added = System.nanoTime();
        for (int i = 0; i < n; i++) {
            manager.remove(VethLab.DEV_A, new InterfaceAddress(IpAddress.parse("10.77.1." + (i + 1)).orElseThrow(), 32));
        }
        flush();
        long removed = System.nanoTime();
        assertThat(manager.failures()).isZero();
        assertThat(lab.addresses(lab.a, VethLab.DEV_A)).noneMatch(s -> s.startsWith("inet 10.77.1."));
        System.out.printf("ip addr add: %.2f ms each, ip addr del: %.2f ms each (%d of each)%n",
                (added - start) / 1e6 / n, (removed - added) / 1e6 / n, n);
    }

    @Test
    void nonlocalBindIsSetInTheNamespaceOnly() throws Exception {
        Path sysctl = Path.of("/proc/sys/net/ipv4/ip_nonlocal_bind");
        String hostBefore = Files.readString(sysctl);
        boolean enabled = Netns.call(lab.a, () -> {
            NonlocalBind.set(true);
            return NonlocalBind.enabled();
        });
        assertThat(enabled).isTrue();
        assertThat(lab.exec(lab.a, "sysctl", "-n", "net.ipv4.ip_nonlocal_bind").strip()).isEqualTo("1");
        assertThat(lab.exec(lab.b, "sysctl", "-n", "net.ipv4.ip_nonlocal_bind").strip()).isEqualTo("0");
        assertThat(Files.readString(sysctl)).as("host setting untouched").isEqualTo(hostBefore);
    }
}
