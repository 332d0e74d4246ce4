package dev.sipproxy.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.Test;

public class PairStateTest {

    private static MemberState member(MemberRole role, String ip, boolean up, boolean adminDown) {
        return new MemberState(role, new HostPort(ip == null ? "sips.example" : ip, 5060), ip, up, adminDown, 0, 0, 0);
    }

    @Test
    public void memberIsUsableOnlyWhenUpInServiceAndResolved() {
        assertTrue(member(MemberRole.PRIMARY, "10.0.0.1", true, false).usable());
        assertFalse(member(MemberRole.PRIMARY, "10.0.0.1", false, false).usable());
        assertFalse(member(MemberRole.PRIMARY, "10.0.0.1", true, true).usable());
        assertFalse(member(MemberRole.PRIMARY, null, true, false).usable());
    }

    @Test
    public void activeMemberIsTheOneNamedActive() {
        ServerPair cfg = new ServerPair("A", new HostPort("10.0.0.1", 5060), Optional.of(new HostPort("10.0.0.2", 5060)),
                SipTransportType.UDP);
        MemberState p = member(MemberRole.PRIMARY, "10.0.0.1", false, false);
        MemberState b = member(MemberRole.BACKUP, "10.0.0.2", true, false);
        PairState s = new PairState(cfg, Optional.of(MemberRole.BACKUP), List.of(p, b));
        assertTrue(s.inService());
        assertEquals(Optional.of(b), s.activeMember());
        assertEquals(Optional.of(p), s.member(MemberRole.PRIMARY));

        PairState out = new PairState(cfg, Optional.empty(), List.of(p, b));
        assertFalse(out.inService());
        assertEquals(Optional.empty(), out.activeMember());
    }

    @Test
    public void pairWithoutBackupHasNoBackupMember() {
        ServerPair cfg = new ServerPair("A", new HostPort("10.0.0.1", 5060), Optional.empty(), SipTransportType.TCP);
        assertEquals(Optional.empty(), cfg.member(MemberRole.BACKUP));
        assertEquals(Optional.of(new HostPort("10.0.0.1", 5060)), cfg.member(MemberRole.PRIMARY));
        assertEquals(MemberRole.BACKUP, MemberRole.PRIMARY.other());
        assertEquals(MemberRole.PRIMARY, MemberRole.BACKUP.other());
        assertEquals("A/backup", new MemberRef("A", MemberRole.BACKUP).toString());
    }
}
