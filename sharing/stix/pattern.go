package stix

import (
	"strings"
)

// paths maps the indicator types cleared exchanges (MISP's vocabulary) to the STIX object path their pattern
// compares; "text" has none and travels as a note.
var paths = map[string]string{
	"ip-src": "ipv4-addr:value", "ip-dst": "ipv4-addr:value",
	"domain": "domain-name:value", "hostname": "domain-name:value",
	"url": "url:value",
	"md5": "file:hashes.'MD5'", "sha1": "file:hashes.'SHA-1'", "sha256": "file:hashes.'SHA-256'",
	"email-src": "email-addr:value", "email-dst": "email-addr:value",
	"filename": "file:name",
}

// defaultTypes maps a pattern's path back to the indicator type assumed when the indicator does not name its own.
var defaultTypes = map[string]string{
	"ipv4-addr:value": "ip-dst", "ipv6-addr:value": "ip-dst",
	"domain-name:value": "domain", "url:value": "url",
	"file:hashes.'MD5'": "md5", "file:hashes.'SHA-1'": "sha1", "file:hashes.'SHA-256'": "sha256",
	"file:hashes.MD5": "md5", "file:hashes.'SHA1'": "sha1", "file:hashes.'SHA256'": "sha256",
	"email-addr:value": "email-src", "file:name": "filename",
}

// pattern returns the STIX pattern matching an indicator of type typ and value v, and false for a type that has
// none (text).
func pattern(typ, v string) (string, bool) {
	path, ok := paths[typ]
	if !ok {
		return "", false
	}
	if path == "ipv4-addr:value" && strings.Contains(v, ":") {
		path = "ipv6-addr:value"
	}
	return "[" + path + " = '" + quote(v) + "']", true
}

// quote escapes a value for a STIX pattern string literal, where only the quote and the backslash are special.
func quote(v string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v)
}

// parsePattern reads back the one-comparison patterns [path = 'value'] that pattern writes; any other pattern
// (several comparisons, other operators, qualifiers) is reported as not understood.
func parsePattern(p string) (path, value string, ok bool) {
	p = strings.TrimSpace(p)
	if !strings.HasPrefix(p, "[") || !strings.HasSuffix(p, "]") {
		return "", "", false
	}
	p = strings.TrimSpace(p[1 : len(p)-1])
	path, rest, found := strings.Cut(p, "=")
	if !found {
		return "", "", false
	}
	path = strings.TrimSpace(path)
	if _, known := defaultTypes[path]; !known {
		return "", "", false
	}
	rest = strings.TrimSpace(rest)
	if len(rest) < 2 || rest[0] != '\'' || rest[len(rest)-1] != '\'' {
		return "", "", false
	}
	var b strings.Builder
	lit := rest[1 : len(rest)-1]
	for i := 0; i < len(lit); i++ {
		switch c := lit[i]; c {
		case '\\':
			if i+1 == len(lit) || lit[i+1] != '\\' && lit[i+1] != '\'' {
				return "", "", false
			}
			i++
			b.WriteByte(lit[i])
		case '\'':
			return "", "", false // an unescaped quote ends the literal early: more follows than one comparison
		default:
			b.WriteByte(c)
		}
	}
	return path, b.String(), true
}
