package sqlstore

// Meta reads a setting of the installation; ErrNotFound if it is unset.
func (tx *Tx) Meta(key string) (string, error) {
	v, err := get(tx, func(s scanner) (string, error) {
		var v string
		err := s.Scan(&v)
		return v, err
	}, `SELECT value FROM meta WHERE name = $1`, key)
	if err != nil {
		return "", tx.notFound(err, "setting", key)
	}
	return v, nil
}

// SetMeta writes a setting, replacing any value it had.
func (tx *Tx) SetMeta(key, value string) error {
	_, err := tx.exec(`
		INSERT INTO meta (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
		key, value)
	if err != nil {
		return tx.errorf(err, "set %s", key)
	}
	return nil
}
