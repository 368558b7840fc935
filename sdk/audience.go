package sdk

// Audience says who may see a room, a block or a piece of content. Every
// condition that is given must hold; each list admits any of its values. The
// zero Audience admits everyone. The portal evaluates audiences: block and room
// types only declare them.
type Audience struct {
	PartnerTypes    []string `json:"partnerTypes,omitempty" yaml:"partnerTypes,omitempty"`
	Tiers           []string `json:"tiers,omitempty" yaml:"tiers,omitempty"`
	MinTier         string   `json:"minTier,omitempty" yaml:"minTier,omitempty"`
	Stages          []string `json:"stages,omitempty" yaml:"stages,omitempty"`
	MinStage        string   `json:"minStage,omitempty" yaml:"minStage,omitempty"`
	Roles           []string `json:"roles,omitempty" yaml:"roles,omitempty"`                     // contact roles
	Partners        []string `json:"partners,omitempty" yaml:"partners,omitempty"`               // partner slugs
	ExcludePartners []string `json:"excludePartners,omitempty" yaml:"excludePartners,omitempty"` // partner slugs
}

// IsZero reports whether the audience admits everyone.
func (a Audience) IsZero() bool {
	return len(a.PartnerTypes) == 0 && len(a.Tiers) == 0 && a.MinTier == "" &&
		len(a.Stages) == 0 && a.MinStage == "" && len(a.Roles) == 0 &&
		len(a.Partners) == 0 && len(a.ExcludePartners) == 0
}
