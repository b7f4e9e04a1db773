package org.o365audit.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An operator's first look, in Debian's headless Chromium (run by failsafe, in a JVM of its own: Hawtio must see
 * only this application's MBeans): the login, Hawtio's Camel routes and our MBeans, and the
 * connected-tenants page with the healthy demo tenant (its activities, and its accounts, apps and sign-ins from
 * Microsoft Graph) and the advice for the tenant whose secret is wrong.
 * Screenshots stay in target/screenshots/; a step that fails leaves failed-*.png and failed-*.html there.
 */
class BrowserIT extends ConsoleTestBase {
    static final Path SCREENSHOTS = Path.of("target", "screenshots");
    static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    private static final String CHROMIUM = "/usr/bin/chromium";
    /** Hawtio's sidebar (PatternFly nav) and the label of a node in the tree of its Camel and JMX plugins. */
    private static final String NAV_LINK = "//div[@id='page-sidebar']//a[normalize-space()='%s']";
    private static final String NODE_TEXT = "button[contains(@class,'tree-view__node-text')]";

    private static Path profile;
    private static ChromeDriverService service;
    private static WebDriver browser;

    @BeforeAll
    static void startChromium() throws IOException {
        Files.createDirectories(SCREENSHOTS);
        profile = Files.createTempDirectory("chromium-profile");
        // the driver named explicitly: Selenium Manager, which would download a driver or a browser, stays out
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

    /** Every test starts logged out, whatever ran before it. */
    @BeforeEach
    void loggedOut() {
        browser.get(url("/login"));
        browser.manage().deleteAllCookies();
    }

    @Test
    void hawtioAsksForTheLoginThenShowsTheCamelRoutes() {
        step("login-form", () -> {
            browser.get(url("/actuator/hawtio/"));
            waitUntil("Spring Security's login form",
                    d -> path(d).equals("/login") && !d.findElements(PASSWORD_FIELD).isEmpty());
            screenshot("login-form");
            logIn();
        });
        step("hawtio-camel-routes", () -> {
            click(By.xpath(NAV_LINK.formatted("Camel")));
            click(treeLabel("o365-audit", "routes"));
            waitUntil("the routes table with delivery-sequencer and poll-simulated-contoso-Audit.Exchange", d ->
                    cellTexts(d).containsAll(List.of("delivery-sequencer", "poll-simulated-contoso-Audit.Exchange")));
            screenshot("hawtio-camel-routes");
        });
    }

    @Test
    void hawtioShowsOurMBeansBesideCamels() {
        step("hawtio-jmx", () -> {
            browser.get(url("/actuator/hawtio/"));
            logIn();
            click(By.xpath(NAV_LINK.formatted("JMX")));
            waitUntil("Camel's domain in the JMX tree",
                    d -> !d.findElements(treeItem("org.apache.camel")).isEmpty());
            expand("o365audit");
            for (String type : List.of("Collector", "Tenant", "ContentType", "DelayedFeed", "Sink")) {
                waitUntil("the MBean type " + type + " under o365audit",
                        d -> !d.findElements(treeItem("o365audit", type)).isEmpty());
            }
            expand("o365audit", "Tenant");
            click(treeLabel("o365audit", "Tenant", DEMO_TENANT));
            waitUntil("the attributes of o365audit:type=Tenant,name=" + DEMO_TENANT + " with its status healthy",
                    d -> cellTexts(d).containsAll(List.of("TenantId", "healthy")));
            screenshot("hawtio-jmx-o365audit");
        });
    }

    @Test
    void tenantsPageShowsTheHealthyDemoTenantAndAdviceForTheWrongSecret() {
        step("tenants-page", () -> {
            browser.get(url("/tenants.html"));
            logIn();
            String demo = "[data-tenant='" + DEMO_TENANT + "']";
            String wrong = "[data-tenant='" + WRONG_TENANT + "']";
            waitUntil("the demo tenant reads Healthy", d -> text(d, demo + " .tenant-status").equals("Healthy"));
            waitUntil("the tenant with the wrong secret reads Failing",
                    d -> text(d, wrong + " .tenant-status").equals("Failing"));
            assertThat(text(browser, wrong + " .tenant-message")).as("the advice for the tenant with the wrong secret")
                    .contains("invalid_client").contains("check client-id").contains("client secret");
            assertThat(text(browser, wrong + " [data-component='Audit.Exchange'] .component-state")).isEqualTo("error");
            // the demo's Microsoft Graph components: each running, saying what it holds
            for (String component : java.util.List.of("accounts", "apps", "signins", "files")) {
                String row = demo + " [data-kind='graph'][data-component='" + component + "']";
                waitUntil("the demo's " + component + " component reads running",
                        d -> text(d, row + " .component-state").equals("running"));
                assertThat(text(browser, row + " .component-summary")).as(component).isNotBlank();
            }
            assertThat(text(browser, demo + " [data-component='apps'] .component-summary")).startsWith("3 apps");
            assertThat(browser.findElements(By.cssSelector(demo + " .components-off")))
                    .as("the demo collects every component").isEmpty();
            wholePageScreenshot("tenants-page");
        });
    }

    // ---- the browser

    private static final By PASSWORD_FIELD = By.cssSelector("input[name=password]");

    /** Fills Spring Security's form, which then sends the browser back to the page it asked for. */
    void logIn() {
        waitUntil("Spring Security's login form",
                d -> path(d).equals("/login") && !d.findElements(PASSWORD_FIELD).isEmpty());
        browser.findElement(By.cssSelector("input[name=username]")).sendKeys(USER);
        browser.findElement(PASSWORD_FIELD).sendKeys(PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        waitUntil("the login to be accepted", d -> !path(d).equals("/login"));
    }

    /** A node of Hawtio's tree, by its labels from an ancestor down ("o365audit", "Tenant", ...). */
    static By treeItem(String... labels) {
        return By.xpath(treeItemXpath(labels));
    }

    /** The node's label, which selects it. */
    static By treeLabel(String... labels) {
        return By.xpath(treeItemXpath(labels) + "/div//" + NODE_TEXT);
    }

    private static String treeItemXpath(String... labels) {
        StringBuilder x = new StringBuilder();
        for (String label : labels) {
            x.append("//li[@role='treeitem'][./div//").append(NODE_TEXT).append("[normalize-space()='").append(label)
                    .append("']]");
        }
        return x.toString();
    }

    void expand(String... labels) {
        By item = treeItem(labels);
        waitUntil("the tree node " + String.join(" > ", labels) + " expanded", d -> {
            WebElement li = d.findElement(item);
            if (!"true".equals(li.getAttribute("aria-expanded"))) {
                li.findElement(By.xpath("./div//button[contains(@class,'tree-view__node-toggle')]")).click();
            }
            return "true".equals(d.findElement(item).getAttribute("aria-expanded"));
        });
    }

    void click(By by) {
        waitUntil("a clickable " + by, d -> {
            WebElement e = d.findElement(by);
            if (!e.isDisplayed() || !e.isEnabled()) {
                return false;
            }
            e.click();
            return true;
        });
    }

    void waitUntil(String what, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(browser, PATIENCE)
                .ignoring(StaleElementReferenceException.class)
                .withMessage("waited " + PATIENCE.toSeconds() + " s for " + what)
                .until(condition);
    }

    static String path(WebDriver d) {
        return URI.create(d.getCurrentUrl()).getPath();
    }

    static String text(WebDriver d, String css) {
        List<WebElement> found = d.findElements(By.cssSelector(css));
        return found.isEmpty() ? "" : found.get(0).getText().trim();
    }

    static List<String> cellTexts(WebDriver d) {
        return d.findElements(By.cssSelector("table td")).stream().map(e -> e.getText().trim()).toList();
    }

    // ---- what a failure leaves behind

    interface Step {
        void run() throws Exception;
    }

    /** Runs a step; when it fails, keeps a screenshot and the page, and puts the address and page text in the error. */
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
                Files.writeString(SCREENSHOTS.resolve("failed-" + name + ".html"), browser.getPageSource());
            } catch (RuntimeException | IOException ignored) {
                // the browser itself is gone: the original error says why
            }
            throw new AssertionError("step '" + name + "' failed: " + e.getMessage() + "\n--- at " + url
                    + " the page shows:\n" + abbreviate(text, 6000) + "\n---", e);
        }
    }

    static void screenshot(String name) {
        try {
            File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
            Files.copy(png.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page from top to bottom (the sinks table too), in a window as tall as the page for the moment. */
    static void wholePageScreenshot(String name) {
        Dimension size = browser.manage().window().getSize();
        long height = (Long) ((JavascriptExecutor) browser)
                .executeScript("return document.documentElement.scrollHeight");
        browser.manage().window().setSize(new Dimension(size.getWidth(), (int) Math.min(height + 200, 6000)));
        try {
            screenshot(name);
        } finally {
            browser.manage().window().setSize(size);
        }
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "\n[... " + (s.length() - max) + " more characters]";
    }
}
