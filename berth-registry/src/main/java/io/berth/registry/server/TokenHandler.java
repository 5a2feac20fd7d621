package io.berth.registry.server;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in Docker token endpoint: {@code GET /token?service=&scope=repository:name:pull,push} with Basic
 * credentials. The token grants, for each requested scope, the actions the access rules give the user (possibly
 * fewer than asked, possibly none: the registry then refuses the request the token was meant for). Without
 * credentials the caller gets an anonymous token that grants nothing; wrong credentials are a 401.
 */
final class TokenHandler {
    private final HtpasswdFile users;
    private final AccessRules rules;
    private final RegistryTokens tokens;

    TokenHandler(HtpasswdFile users, AccessRules rules, RegistryTokens tokens) {
        this.users = users;
        this.rules = rules;
        this.tokens = tokens;
    }

    void issue(RegistryRequest request, Authorizer.Grant unused) throws IOException {
        String user = null;
        if (Authorizer.BasicCredentials.present(request)) {
            user = Authorizer.BasicCredentials.user(request, users);
            if (user == null) {
                throw new RegistryException(ErrorCode.UNAUTHORIZED, 401, "wrong user name or password",
                        Map.of("WWW-Authenticate", "Basic realm=\"" + tokens.issuer() + "\""));
            }
        }
        String service = request.query("service");
        if (service != null && !service.equals(tokens.issuer())) {
            throw new RegistryException(ErrorCode.DENIED, "this token endpoint serves only " + tokens.issuer());
        }
        List<Access> granted = new ArrayList<>();
        String scopes = request.query("scope");
        if (user != null && scopes != null) {
            for (String scope : scopes.split(" ")) {
                Access wanted = Access.parseScope(scope);
                if (wanted == null) {
                    continue;
                }
                Set<String> allowed = rules.allowed(user, wanted);
                if (!allowed.isEmpty()) {
                    granted.add(new Access(wanted.type(), wanted.name(), allowed));
                }
            }
        }
        Instant now = Instant.now();
        String token = tokens.issue(user == null ? "" : user, tokens.issuer(), granted, now);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("access_token", token);
        body.put("expires_in", RegistryTokens.LIFETIME.toSeconds());
        body.put("issued_at", DateTimeFormatter.ISO_INSTANT.format(now));
        request.respondJson(200, body, Map.of());
    }
}
