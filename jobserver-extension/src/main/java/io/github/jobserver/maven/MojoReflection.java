package io.github.jobserver.maven;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Reads and sets a configured mojo's settings by reflection, for the {@link ForkingGoal}s: a plugin's classes
 * are in its own class realm, and its version is the user's choice. Every failure (no such member, a module
 * system or security manager refusing) is an absent value, so the mojo is left alone and runs as configured.
 */
final class MojoReflection {
    private MojoReflection() {}

    /** The {@code String} field {@code name} of the type or a superclass, made accessible; null otherwise. */
    static Field stringField(Class<?> type, String name) {
        Field f = field(type, name);
        return f != null && f.getType() == String.class ? f : null;
    }

    /** The field {@code name} of the type or a superclass, of any type, made accessible; null otherwise. */
    static Field field(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // the superclass may declare it
            } catch (RuntimeException e) {
                return null; // a module system or security manager refuses: leave the mojo alone
            }
        }
        return null;
    }

    /** The field's value in the mojo, a primitive boxed; null when it is null or cannot be read. */
    static Object read(Object mojo, Field field) {
        try {
            return field.get(mojo);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }

    /** Sets the field in the mojo (a primitive field from its box); false when the mojo does not allow it. */
    static boolean write(Object mojo, Field field, Object value) {
        try {
            field.set(mojo, value);
            return true;
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the mojo's {@code boolean} field {@code name} (in its type or a superclass) is true. */
    static boolean flag(Object mojo, String name) {
        Field f = field(mojo.getClass(), name);
        return f != null && Boolean.TRUE.equals(read(mojo, f));
    }

    /** Whether any of these no-argument getters (declared in the type or a superclass) returns true. */
    static boolean anyTrue(Object mojo, String[] getters) {
        for (String getter : getters) {
            try {
                Method m = getter(mojo.getClass(), getter);
                if (m != null && Boolean.TRUE.equals(m.invoke(mojo))) {
                    return true;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not this getter: look at the next
            }
        }
        return false;
    }

    private static Method getter(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(name);
                m.setAccessible(true);
                return m;
            } catch (NoSuchMethodException e) {
                // the superclass may declare it
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
