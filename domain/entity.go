package domain

import (
	"fmt"
	"math"
	"time"
)

// Entity kinds 监管对象.
const (
	KindShop       = "shop"       // 商铺
	KindEnterprise = "enterprise" // 企业
	KindRental     = "rental"     // 出租屋
	KindVenue      = "venue"      // 三小场所
)

// Three-colour codes 三色码.
const (
	CodeGreen  = "green"
	CodeYellow = "yellow"
	CodeRed    = "red"
)

// Entity is a supervised object with a door QR code and a colour code.
type Entity struct {
	ID        string    `json:"id"`
	Kind      string    `json:"kind"`
	Name      string    `json:"name"`
	Address   string    `json:"address,omitempty"`
	Lon       float64   `json:"lon"`
	Lat       float64   `json:"lat"`
	GridID    string    `json:"grid_id,omitempty"`
	Tags      []string  `json:"tags,omitempty"`
	Code      string    `json:"code"`
	QRToken   string    `json:"qr_token,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate checks the fields an entity must have.
func (e *Entity) Validate() error {
	switch {
	case e.ID == "":
		return fmt.Errorf("entity: id is empty")
	case e.Name == "":
		return fmt.Errorf("entity %s: name is empty", e.ID)
	case e.Kind != KindShop && e.Kind != KindEnterprise && e.Kind != KindRental && e.Kind != KindVenue:
		return fmt.Errorf("entity %s: kind %q is not one of shop, enterprise, rental, venue", e.ID, e.Kind)
	case e.Code != CodeGreen && e.Code != CodeYellow && e.Code != CodeRed:
		return fmt.Errorf("entity %s: code %q is not one of green, yellow, red", e.ID, e.Code)
	case !validLonLat(e.Lon, e.Lat):
		return fmt.Errorf("entity %s: location %v,%v is not a longitude/latitude", e.ID, e.Lon, e.Lat)
	}
	if err := CheckText(e.Name, MaxName); err != nil {
		return fmt.Errorf("entity %s: name %w", e.ID, err)
	}
	if err := CheckText(e.Address, MaxAddress); err != nil {
		return fmt.Errorf("entity %s: address %w", e.ID, err)
	}
	return nil
}

func validLonLat(lon, lat float64) bool {
	return !math.IsNaN(lon) && !math.IsNaN(lat) && lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90
}
