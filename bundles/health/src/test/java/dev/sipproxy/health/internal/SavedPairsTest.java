package dev.sipproxy.health.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.sipproxy.api.HostPort;
import dev.sipproxy.api.MemberRole;
import dev.sipproxy.api.MemberState;
import dev.sipproxy.api.PairState;
import dev.sipproxy.api.ServerPair;
import dev.sipproxy.api.SipTransportType;

import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.junit.Test;

public class SavedPairsTest {
    private static final ServerPair PAIR = new ServerPair("p.1", new HostPort("127.0.0.1", 5070),
            Optional.of(new HostPort("127.0.0.1", 5080)), SipTransportType.UDP);

    @Test
    public void aRestartKeepsADownPrimaryAndTheActiveBackup() {
        PairEntry before = new PairEntry(PAIR, a -> "127.0.0.1");
        before.failed(MemberRole.PRIMARY);
        before.answered(MemberRole.BACKUP, 200, 42);
        Properties p = SavedPairs.write(List.of(before.snapshot()));

        PairEntry after = new PairEntry(PAIR, a -> "127.0.0.1");
        assertEquals("a fresh entry starts on the primary", Optional.of(MemberRole.PRIMARY), after.snapshot().active());
        after.restore(SavedPairs.read(p).take("p.1").orElseThrow());

        PairState s = after.snapshot();
        assertEquals(Optional.of(MemberRole.BACKUP), s.active());
        assertFalse("primary still down", s.member(MemberRole.PRIMARY).get().up());
        assertEquals(42, s.member(MemberRole.BACKUP).get().lastResponseMillis());
    }

    @Test
    public void anOperatorsOutOfServiceAndAWholePairDownAreKept() {
        PairEntry before = new PairEntry(PAIR, a -> "127.0.0.1");
        before.setAdminDown(MemberRole.PRIMARY, true);
        before.failed(MemberRole.BACKUP);
        assertFalse(before.snapshot().inService());
        SavedPairs saved = SavedPairs.read(SavedPairs.write(List.of(before.snapshot())));

        PairEntry after = new PairEntry(PAIR, a -> "127.0.0.1");
        PairEntry.Change change = after.restore(saved.take("p.1").orElseThrow());
        assertFalse("out of service as before", change.after().inService());
        assertTrue(change.after().member(MemberRole.PRIMARY).get().adminDown());
        assertTrue("handed out once", saved.take("p.1").isEmpty());
    }

    @Test
    public void aMemberWhoseAddressChangedMeanwhileStartsAfresh() {
        PairEntry before = new PairEntry(PAIR, a -> "127.0.0.1");
        before.failed(MemberRole.PRIMARY);
        SavedPairs saved = SavedPairs.read(SavedPairs.write(List.of(before.snapshot())));

        ServerPair moved = new ServerPair("p.1", new HostPort("127.0.0.1", 5071), PAIR.backup(), SipTransportType.UDP);
        PairEntry after = new PairEntry(moved, a -> "127.0.0.1");
        after.restore(saved.take("p.1").orElseThrow());
        MemberState primary = after.snapshot().member(MemberRole.PRIMARY).get();
        assertTrue("the new primary was never seen down", primary.up());
        assertEquals("the backup took over before, and stays in charge (sticky)", Optional.of(MemberRole.BACKUP),
                after.snapshot().active());
    }
}
