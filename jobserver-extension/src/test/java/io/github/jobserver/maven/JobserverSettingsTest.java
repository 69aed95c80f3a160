package io.github.jobserver.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class JobserverSettingsTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaultsToDynamicWithoutMax() {
        JobserverSettings s = JobserverSettings.read(props(), props());
        assertEquals(JobserverSettings.Mode.DYNAMIC, s.mode);
        assertEquals(0, s.max);
        assertNull(s.problem);
    }

    @Test
    void userPropertiesWinOverSystemProperties() {
        JobserverSettings s = JobserverSettings.read(
                props("jobserver.mode", "claim"), props("jobserver.mode", "off", "jobserver.max", "3"));
        assertEquals(JobserverSettings.Mode.CLAIM, s.mode);
        assertEquals(3, s.max);
    }

    @Test
    void badValuesFallBackWithOneExplanation() {
        JobserverSettings s = JobserverSettings.read(props("jobserver.mode", "fast", "jobserver.max", "0"), props());
        assertEquals(JobserverSettings.Mode.DYNAMIC, s.mode);
        assertEquals(0, s.max);
        assertEquals(
                "jobserver.mode=fast is not dynamic, claim or off; using dynamic;"
                        + " jobserver.max=0 is not a positive number; ignored",
                s.problem);
    }

    @Test
    void everyBadSettingIsNamedOnTheOneLine() {
        JobserverSettings s = JobserverSettings.read(props("jobserver.max", "x", "jobserver.jobs", "-2"), props());
        assertEquals(0, s.max);
        assertEquals(0, s.jobs);
        assertEquals(
                "jobserver.max=x is not a positive number; ignored;"
                        + " jobserver.jobs=-2 is not a positive number or auto; ignored",
                s.problem);
    }

    @Test
    void jobsIsANumberOrAutoAndSaysWhereItCameFrom() {
        JobserverSettings four = JobserverSettings.read(props(), props("jobserver.jobs", " 4 "));
        assertEquals(4, four.jobs);
        assertEquals("jobserver.jobs=4", four.jobsSetting);
        assertNull(four.problem);
        int processors = Runtime.getRuntime().availableProcessors();
        JobserverSettings auto = JobserverSettings.read(props("jobserver.jobs", "AUTO"), props());
        assertEquals(processors, auto.jobs);
        assertEquals(
                "jobserver.jobs=AUTO: " + processors + (processors == 1 ? " processor" : " processors"),
                auto.jobsSetting);
        JobserverSettings unset = JobserverSettings.read(props(), props());
        assertEquals(0, unset.jobs);
        assertNull(unset.jobsSetting);
    }

    @Test
    void badJobsAreOneWarningAndNoJobserver() {
        for (String bad : new String[] {"0", "-1", "x", "", "2.5"}) {
            JobserverSettings s = JobserverSettings.read(props("jobserver.jobs", bad), props());
            assertEquals(0, s.jobs, bad);
            assertNull(s.jobsSetting, bad);
            assertEquals("jobserver.jobs=" + bad + " is not a positive number or auto; ignored", s.problem);
        }
    }
}
