package dev.taskscheduler.launcher.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.taskscheduler.launcher.TaskSchedulerSystem;
import dev.taskscheduler.launcher.testing.SystemTestClient;
import dev.taskscheduler.launcher.testing.TestHandlers;
import dev.taskscheduler.launcher.testing.TestSystems;
import dev.taskscheduler.testsupport.Infrastructure;
import dev.taskscheduler.testsupport.RealInfrastructure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (headless chromium) against the whole real system: sign in with an
 * API key, replay a dead letter and watch it succeed, manage a schedule, see a worker at work, and a
 * read-only key that sees no action and whose forged actions are refused. Each page visited is saved
 * as a screenshot under {@code target/console-screenshots}.
 */
@RealInfrastructure
class ConsoleBrowserTest {

    private static final Duration WAIT = SystemTestClient.PIPELINE_TIMEOUT;
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    @TempDir
    static Path stateDir;

    private static TaskSchedulerSystem system;
    private static SystemTestClient client;
    private static ChromeDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void start(Infrastructure infrastructure) throws IOException {
        system = TestSystems.start(infrastructure, stateDir, "--spring.main.banner-mode=off",
                "--spring.main.sources=" + TestHandlers.class.getName(),
                "--scheduler.worker.heartbeat.interval=500ms",
                "--scheduler.console.refresh-interval=1s");
        client = TestSystems.client(system, infrastructure);
        Files.createDirectories(SCREENSHOTS);
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build(), chromium());
        wait = new WebDriverWait(browser, WAIT);
    }

    private static ChromeOptions chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        // --no-sandbox: CI runs as root, where chromium's sandbox cannot start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000", "--lang=en");
        return options;
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (system != null) {
            system.close();
        }
    }

    @BeforeEach
    void signedOut() {
        browser.get(system.apiUrl() + "/console/login");
        browser.manage().deleteAllCookies();
    }

    @Test
    void shouldSignInWithAnApiKeyAndRefuseAnUnknownOne() {
        browser.get(system.apiUrl() + "/console");
        wait.until(ExpectedConditions.urlContains("/console/login"));
        browser.findElement(By.id("apiKey")).sendKeys("tsk_not_a_key");
        browser.findElement(By.cssSelector("form button[type=submit]")).click();
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("p.error"))).getText())
                .contains("does not sign in");
        screenshot("login");

        signIn(client.apiKey());

        assertThat(browser.getCurrentUrl()).endsWith("/console/overview");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Overview");
        assertThat(browser.findElement(By.id("live-workers")).getText()).isNotBlank();
        assertThat(browser.findElements(By.cssSelector(".chart svg"))).hasSize(2);
        // The session cookie is out of scripts' reach: the page's script sees no cookie at all.
        assertThat(browser.executeScript("return document.cookie")).isEqualTo("");
        screenshot("overview");
        // On a phone-sized screen the page reflows into one column instead of scrolling sideways.
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            assertThat((Long) browser.executeScript("return document.documentElement.scrollWidth"))
                    .isLessThanOrEqualTo((Long) browser.executeScript("return window.innerWidth"));
            screenshot("overview-narrow");
        } finally {
            browser.manage().window().setSize(new Dimension(1280, 1000));
        }
    }

    @Test
    void shouldFindAFailedTaskInTheDeadLettersAndReplayItUntilItSucceeds() {
        UUID id = client.submit("{\"type\":\"fails-once\",\"maxRetries\":0}");
        client.awaitStatus(id, "dead_letter");
        signIn(client.apiKey());

        browser.get(system.apiUrl() + "/console/dead-letters?id=" + id);
        assertThat(browser.findElement(By.id("dead-letter-list")).getText()).contains(id.toString(),
                "first execution fails");
        screenshot("dead-letters");
        browser.findElement(By.id("preview-replay")).click();
        // The click sends a form: the confirmation is a new page, which may still be on its way.
        assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("replay-matched"))).getText())
                .contains("1 dead letter matches");
        screenshot("replay-confirm");
        browser.findElement(By.id("confirm-replay")).click();
        awaitNotice("Replayed 1 dead letter");

        // The task's page reads itself again while the task may change: it turns to succeeded by itself.
        browser.get(system.apiUrl() + "/console/tasks/" + id);
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#task-status .badge"), "succeeded"));
        assertThat(browser.findElements(By.cssSelector(".timeline li"))).hasSize(2);
        screenshot("task");
        browser.get(system.apiUrl() + "/console/tasks");
        browser.findElement(By.id("f-type")).sendKeys("fails-once");
        browser.findElement(By.id("f-status")).sendKeys("succeeded");
        browser.findElement(By.cssSelector("form.filters button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("type=fails-once"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("task-list"), id.toString()));
        screenshot("tasks");
    }

    @Test
    void shouldCreatePauseAndDeleteASchedule() {
        String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
        signIn(client.apiKey());

        browser.get(system.apiUrl() + "/console/schedules/new");
        browser.findElement(By.id("s-name")).sendKeys(name);
        WebElement cron = browser.findElement(By.id("s-cron"));
        cron.clear();
        cron.sendKeys("61 * * * *");
        assertThat(wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#preview .error")))
                .getText()).contains("cron");
        cron.clear();
        cron.sendKeys("30 6 * * 1-5");
        WebElement zone = browser.findElement(By.id("s-zone"));
        zone.clear();
        zone.sendKeys("Europe/Berlin");
        browser.findElement(By.id("s-type")).sendKeys("counted");
        // The preview follows the typed expression: five weekday mornings at 06:30 Berlin time.
        // Read in one script call: the preview is swapped in while it is typed.
        wait.until(driver -> ((List<?>) browser.executeScript("return Array.from(document.querySelectorAll("
                + "'#fire-times time')).map(time => time.getAttribute('datetime'))")).stream()
                .filter(at -> at.toString().matches(".*T0[45]:30:00Z")).count() == 5);
        screenshot("schedule-form");
        browser.findElement(By.id("save-schedule")).click();

        awaitNotice(name, "created");
        awaitScheduleState(name, "active");
        clickInRow(name, "button.pause");
        awaitScheduleState(name, "paused");
        assertThat(client.db().sql("SELECT paused FROM schedules WHERE name = ?").param(name)
                .query(Boolean.class).single()).isTrue();
        screenshot("schedules");
        clickInRow(name, "button.delete");
        browser.switchTo().alert().accept();

        awaitNotice(name, "deleted");
        assertThat(browser.findElements(By.cssSelector("tr[data-name='" + name + "']"))).isEmpty();
        assertThat(client.db().sql("SELECT count(*) FROM schedules WHERE name = ?").param(name)
                .query(Long.class).single()).isZero();
    }

    @Test
    void shouldShowALiveWorkerWithItsRunningTask() {
        UUID id = client.submit("{\"type\":\"counted\",\"payload\":{\"millis\":20000}}");
        client.awaitStatus(id, "running");
        String workerId = client.db().sql("SELECT worker_id FROM tasks WHERE id = ?").param(id)
                .query(String.class).single();
        signIn(client.apiKey());

        browser.get(system.apiUrl() + "/console/workers");

        WebElement worker = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("article.worker[data-worker='" + workerId + "']")));
        assertThat(worker.findElement(By.className("running-tasks")).getText()).contains(id.toString(), "counted");
        assertThat(browser.findElement(By.id("pool-use")).getText()).contains("default");
        screenshot("workers");
    }

    @Test
    void shouldShowAReadOnlyKeyNoActionAndRefuseItsForgedActions() {
        UUID pending = client.submit("{\"type\":\"counted\",\"delay\":\"PT1H\"}");
        String readOnly = system.createApiKey("console-viewer-" + UUID.randomUUID(),
                List.of("tasks:read", "schedules:read"), null, Duration.ofHours(1));
        signIn(readOnly);

        browser.get(system.apiUrl() + "/console/tasks/" + pending);
        assertThat(browser.findElement(By.cssSelector("#task-status .badge")).getText()).isEqualTo("pending");
        assertThat(browser.findElements(By.cssSelector("#task button, #task form"))).isEmpty();
        screenshot("task-read-only");
        browser.get(system.apiUrl() + "/console/schedules");
        assertThat(browser.findElements(By.cssSelector("main button, #new-schedule"))).isEmpty();
        assertThat(browser.findElement(By.cssSelector("header nav")).getText()).doesNotContain("Dead letters");

        // Forged from the page itself: without a CSRF token, then with the page's own token but without the scope.
        assertThat(postFromPage("/console/tasks/" + pending + "/cancel", false)).isEqualTo(403L);
        assertThat(postFromPage("/console/tasks/" + pending + "/cancel", true)).isEqualTo(403L);
        browser.get(system.apiUrl() + "/console/dead-letters");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        assertThat(client.status(pending)).isEqualTo("pending");
    }

    @Test
    void shouldRefuseAnActionWithoutTheConsolesCsrfTokenEvenForAnAdmin() {
        UUID pending = client.submit("{\"type\":\"counted\",\"delay\":\"PT1H\"}");
        signIn(client.apiKey());
        browser.get(system.apiUrl() + "/console/tasks/" + pending);
        assertThat(browser.findElements(By.id("cancel-task"))).hasSize(1);

        assertThat(postFromPage("/console/tasks/" + pending + "/cancel", false)).isEqualTo(403L);

        assertThat(client.status(pending)).isEqualTo("pending");
        browser.findElement(By.id("cancel-task")).click();
        awaitNotice("cancelled");
        await().atMost(WAIT).untilAsserted(() -> assertThat(client.status(pending)).isEqualTo("cancelled"));
    }

    private static void signIn(String key) {
        browser.get(system.apiUrl() + "/console/login");
        // By keyboard: the field has the focus when the page opens, Enter sends the form.
        browser.switchTo().activeElement().sendKeys(key, Keys.ENTER);
        wait.until(ExpectedConditions.urlContains("/console/overview"));
    }

    /**
     * Waits until the schedule's row shows {@code state}: after an action the page is replaced, and
     * the live refresh replaces rows, so a row found a moment before may be stale.
     */
    private static void awaitScheduleState(String name, String state) {
        wait.ignoring(StaleElementReferenceException.class).until(driver ->
                state.equals(row(name).findElement(By.className("schedule-state")).getText()));
    }

    /**
     * Waits until the page's notice says all of {@code parts}: the page or fragment an action answers
     * with may still be on its way, and the notice of the action before may still show meanwhile.
     */
    private static void awaitNotice(String... parts) {
        new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "a notice saying " + String.join(", ", parts) + "; the page shows: "
                        + browser.findElements(By.cssSelector("p.notice")).stream().map(WebElement::getText).toList())
                .until(driver -> driver.findElements(By.cssSelector("p.notice")).stream()
                        .anyMatch(notice -> Arrays.stream(parts).allMatch(notice.getText()::contains)));
    }

    /** Clicks a button of the schedule's row, finding it again if the live refresh replaced the row meanwhile. */
    private static void clickInRow(String name, String button) {
        wait.ignoring(StaleElementReferenceException.class).until(driver -> {
            row(name).findElement(By.cssSelector(button)).click();
            return true;
        });
    }

    private static WebElement row(String name) {
        return browser.findElement(By.cssSelector("tr[data-name='" + name + "']"));
    }

    /**
     * A POST sent by script from the current page, with the session cookie; with {@code withToken},
     * carrying the CSRF token of the page's own sign-out form. Returns the HTTP status.
     */
    private static Object postFromPage(String path, boolean withToken) {
        return browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const body = new URLSearchParams();
                const token = document.querySelector('form.signout input[name=_csrf]');
                if (arguments[1] && token) { body.append('_csrf', token.value); }
                fetch(arguments[0], {method: 'POST', body: body, redirect: 'manual'})
                    .then(response => done(response.status), error => done(String(error)));
                """, path, withToken);
    }

    private static void screenshot(String page) {
        try {
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(page + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
