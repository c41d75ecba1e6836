package cleared

import "time"

// Place is a room, building or site (Art. 2 point 7) where pieces are kept or processed (A8.1): accredited for a
// level, possibly a security zone (Art. 2 point 11, A8.2), established by the organisation's security officer
// (A9.2).
type Place struct {
	ID              PlaceID        `json:"id"`
	OrganisationID  OrganisationID `json:"organisation_id"`
	Name            string         `json:"name"`
	AccreditedLevel Level          `json:"accredited_level"`
	SecurityZone    bool           `json:"security_zone"`
	Public          bool           `json:"public"`
	Officer         PersonID       `json:"officer"` // the security officer responsible
	Created         time.Time      `json:"created"`
}

// Terminal is a workstation or device from which a person uses cleared: accredited for a level, inside a security
// zone or not, public or not (A8.2, A9.3). A request from no registered terminal is treated as a public place.
type Terminal struct {
	ID              TerminalID `json:"id"`
	Name            string     `json:"name"`
	Place           PlaceID    `json:"place,omitempty"`
	AccreditedLevel Level      `json:"accredited_level"`
	SecurityZone    bool       `json:"security_zone"`
	Public          bool       `json:"public"`
	RegisteredBy    PersonID   `json:"registered_by"`
	Created         time.Time  `json:"created"`
	Revoked         time.Time  `json:"revoked,omitzero"`
}

// Channel is a communication centre, network or terminal accredited for electronic transmission (Art. 11 al. 1,
// A11.1), protected by a cryptographic product the NSA approved, up to MaxLevel, between From and Until.
type Channel struct {
	ID            ChannelID `json:"id"`
	Name          string    `json:"name"`
	MaxLevel      Level     `json:"max_level"`
	CryptoProduct string    `json:"crypto_product"` // the approved cryptographic system, empty if none
	// Product is the cryptographic product of the NSA's register (CryptoProduct) that protects the channel, when
	// one is named: the channel is then usable only while its approval is in force (A11.1). A channel recorded
	// before the register, with CryptoProduct alone, counts as approved for its own validity.
	Product    CryptoProductID `json:"product,omitempty"`
	ApprovedBy PersonID        `json:"approved_by"`
	From       time.Time       `json:"from"`
	Until      time.Time       `json:"until"`
	Created    time.Time       `json:"created"`
}

// ActiveAt reports whether the channel's accreditation covers t.
func (c Channel) ActiveAt(t time.Time) bool {
	return !t.Before(c.From) && t.Before(c.Until)
}
