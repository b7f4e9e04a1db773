package org.o365audit.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An operator's first look, in Debian's headless Chromium: the login, Hawtio's Camel routes and our MBeans, and the
 * connected-tenants page with the healthy demo tenant and the advice for the tenant whose credentials are wrong.
 * Screenshots stay in target/screenshots/ (and one named failed-*.png for a step that failed).
 */
class BrowserTest extends ConsoleTestBase {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final String CHROMIUM = "/usr/bin/chromium";

    private static Path profile;
    private static ChromeDriverService service;
    private static WebDriver browser;

    @BeforeAll
    static void startChromium() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        profile = Files.createTempDirectory("chromium-profile");
        // an explicit driver keeps Selenium Manager (which would download drivers and browsers) out of it
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.getPath());
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort()
                .withLogFile(SCREENSHOTS.resolve("chromedriver.log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
                        "--user-data-dir=" + profile);
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(PATIENCE).scriptTimeout(PATIENCE);
    }

    @AfterAll
    static void stopChromium() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @BeforeEach
    void loggedOut() {
        browser.get(url("/login"));
        browser.manage().deleteAllCookies();
    }

    @Test
    void exploreHawtio() {
        step("hawtio-login", () -> {
            browser.get(url("/actuator/hawtio/"));
            waitUntil("a login form", d -> !d.findElements(By.cssSelector("input[type=password]")).isEmpty());
            screenshot("hawtio-login");
            dump("hawtio-login");
            browser.findElement(By.cssSelector("input[name=username]")).sendKeys(USER);
            browser.findElement(By.cssSelector("input[name=password]")).sendKeys(PASSWORD);
            browser.findElement(By.cssSelector("button[type=submit]")).click();
            sleep(8000);
            screenshot("hawtio-after-login");
            dump("hawtio-after-login");
            browser.get(url("/actuator/hawtio/camel"));
            sleep(8000);
            screenshot("hawtio-camel");
            dump("hawtio-camel");
            browser.get(url("/actuator/hawtio/jmx"));
            sleep(8000);
            screenshot("hawtio-jmx");
            dump("hawtio-jmx");
        });
    }

    // ---- helpers

    interface Step {
        void run() throws Exception;
    }

    /** Runs a step; when it fails, keeps a screenshot and puts the page's address and visible text in the error. */
    void step(String name, Step step) {
        try {
            step.run();
        } catch (Throwable e) {
            String url = "?";
            String text = "?";
            try {
                url = browser.getCurrentUrl();
                text = browser.findElement(By.tagName("body")).getText();
                screenshot("failed-" + name);
            } catch (RuntimeException ignored) {
                // the browser itself is gone: the original error says why
            }
            throw new AssertionError("step '" + name + "' failed: " + e.getMessage() + "\n--- at " + url
                    + ", the page shows:\n" + abbreviate(text, 6000) + "\n---", e);
        }
    }

    void waitUntil(String what, java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, PATIENCE).withMessage(what).until(condition);
    }

    static void screenshot(String name) {
        try {
            File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void dump(String name) {
        try {
            Files.writeString(SCREENSHOTS.resolve(name + ".html"), browser.getPageSource());
            Files.writeString(SCREENSHOTS.resolve(name + ".url"), browser.getCurrentUrl());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "\n[... " + (s.length() - max) + " more characters]";
    }
}
