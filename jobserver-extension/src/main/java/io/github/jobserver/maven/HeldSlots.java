package io.github.jobserver.maven;

import io.github.jobserver.Slot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Slots a policy holds, by key (a module, a thread's mojo, a module's forks, the claim), until their holder
 * gives them back or the session stops. After {@link #refuse} nothing more is stored: whoever offers a slot then
 * gives it back itself.
 */
final class HeldSlots implements Shutdown.Holder {
    /** Guarded by this. */
    private final Map<String, List<Slot>> byKey = new HashMap<>();
    /** Set by {@link #refuse}. Guarded by this. */
    private boolean refused;

    /** Stores {@code slot} under {@code key}; false once refused (then the caller gives it back). */
    synchronized boolean add(String key, Slot slot) {
        return addAll(key, Collections.singletonList(slot));
    }

    /** Stores {@code slots} under {@code key}; false once refused (then the caller gives them back). */
    synchronized boolean addAll(String key, List<Slot> slots) {
        if (refused) {
            return false;
        }
        List<Slot> held = byKey.get(key);
        if (held == null) {
            held = new ArrayList<>();
            byKey.put(key, held);
        }
        held.addAll(slots);
        return true;
    }

    /** The first slot held under {@code key}, or null. */
    synchronized Slot get(String key) {
        List<Slot> held = byKey.get(key);
        return held == null || held.isEmpty() ? null : held.get(0);
    }

    /** Takes every slot held under {@code key} (none: empty), for its holder to give back. */
    synchronized List<Slot> remove(String key) {
        List<Slot> held = byKey.remove(key);
        return held != null ? held : Collections.<Slot>emptyList();
    }

    /** Refuses every later slot and takes every slot held, for the stop to give back. No thread reads for it. */
    @Override
    public synchronized Thread refuse(List<Slot> into) {
        refused = true;
        for (List<Slot> held : byKey.values()) {
            into.addAll(held);
        }
        byKey.clear();
        return null;
    }
}
