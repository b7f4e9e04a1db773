package org.o365audit.ops;

import static org.springframework.security.config.Customizer.withDefaults;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.function.Supplier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Everything but health needs a login: Hawtio, Jolokia, Prometheus, the connected-tenants page and its
 * status API. Browsers log in with the form (Hawtio then calls Jolokia with the session and the CSRF token
 * from the XSRF-TOKEN cookie, as single-page apps do); scripts use HTTP basic (curl -u). Jolokia operations
 * (exec, write) are POST only, however the URL is spelled (JolokiaPostOnly), so a link cannot trigger one in a
 * logged-in browser. The user is
 * spring.security.user.name / password (SPRING_SECURITY_USER_NAME / _PASSWORD); with no password set,
 * Spring Boot generates one and prints it once at start.
 */
@Configuration
@EnableWebSecurity
public class SecurityConfiguration {
    @Bean
    public SecurityFilterChain filterChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/error").permitAll()
                        // Microsoft's webhook notifications cannot log in: their Webhook-AuthID header is checked by
                        // NotificationController against the tenant's secret
                        .requestMatchers(HttpMethod.POST, "/api/o365/notifications/*").permitAll()
                        // operations change what runs: POST only, never a GET a link could trigger
                        .requestMatchers(JolokiaPostOnly::refused).denyAll()
                        // governance actions change the tenant: admins only (the default user has admin and viewer)
                        .requestMatchers(HttpMethod.POST, "/api/governance/**").hasRole("admin")
                        // an audit search spends the tenant's daily submissions at Microsoft: admins only
                        .requestMatchers(HttpMethod.POST, "/api/audit-search/**").hasRole("admin")
                        .anyRequest().authenticated())
                .formLogin(withDefaults())
                .httpBasic(withDefaults())
                .csrf(csrf -> csrf
                        .csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new SinglePageAppCsrf())
                        // a script sending its own credentials (curl -u) is not riding a browser session
                        .ignoringRequestMatchers(r -> r.getHeader("Authorization") != null)
                        .ignoringRequestMatchers("/api/o365/notifications/*"))
                .addFilterAfter(new CsrfCookie(), BasicAuthenticationFilter.class);
        return http.build();
    }

    /** The same refusal on every dispatch to the Jolokia servlet, behind Spring Security's (see JolokiaPostOnly). */
    @Bean
    public FilterRegistrationBean<JolokiaPostOnly> jolokiaPostOnly() {
        FilterRegistrationBean<JolokiaPostOnly> filter = new FilterRegistrationBean<>(new JolokiaPostOnly());
        filter.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
        return filter;
    }

    /** The token from the X-XSRF-TOKEN header as it is (Hawtio's client), from a form with BREACH masking. */
    static final class SinglePageAppCsrf extends CsrfTokenRequestAttributeHandler {
        private final CsrfTokenRequestHandler masked = new XorCsrfTokenRequestAttributeHandler();

        @Override
        public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
            masked.handle(request, response, token);
        }

        @Override
        public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
            return StringUtils.hasText(request.getHeader(token.getHeaderName()))
                    ? super.resolveCsrfTokenValue(request, token)
                    : masked.resolveCsrfTokenValue(request, token);
        }
    }

    /** Loads the deferred token on every request so that the XSRF-TOKEN cookie is there for the console. */
    static final class CsrfCookie extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
            if (token != null) {
                token.getToken();
            }
            chain.doFilter(request, response);
        }
    }
}
