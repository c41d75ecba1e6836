package store

// Settings holds the installation's settings (the audit key's identity, the first officer's bootstrap).
type Settings interface {
	// Meta reads a setting of the installation (ErrNotFound if unset); SetMeta writes one.
	Meta(key string) (string, error)
	SetMeta(key, value string) error
}
