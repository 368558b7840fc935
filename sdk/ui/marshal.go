package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Marshal encodes a component tree as JSON. Every component becomes an object
// with a "kind" member next to its fields.
func Marshal(c Component) ([]byte, error) {
	return marshalOne(c)
}

// Unmarshal decodes a tree encoded by Marshal. It fails on an unknown kind, so
// a tree that the theme could not draw never gets past the boundary.
func Unmarshal(data []byte) (Component, error) {
	return unmarshalOne(data)
}

// MarshalJSON encodes the children as an array of tagged objects.
func (cs Children) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, c := range cs {
		if i > 0 {
			buf.WriteByte(',')
		}
		b, err := marshalOne(c)
		if err != nil {
			return nil, fmt.Errorf("child %d: %w", i, err)
		}
		buf.Write(b)
	}
	buf.WriteByte(']')
	return buf.Bytes(), nil
}

// UnmarshalJSON decodes an array of tagged objects.
func (cs *Children) UnmarshalJSON(data []byte) error {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return err
	}
	out := make(Children, 0, len(raws))
	for i, raw := range raws {
		c, err := unmarshalOne(raw)
		if err != nil {
			return fmt.Errorf("child %d: %w", i, err)
		}
		out = append(out, c)
	}
	*cs = out
	return nil
}

func marshalOne(c Component) ([]byte, error) {
	if c == nil {
		return nil, fmt.Errorf("nil component")
	}
	body, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Kind(), err)
	}
	kind, _ := json.Marshal(c.Kind())
	out := make([]byte, 0, len(body)+len(kind)+10)
	out = append(out, `{"kind":`...)
	out = append(out, kind...)
	if len(body) > 2 { // not "{}"
		out = append(out, ',')
		out = append(out, body[1:]...)
	} else {
		out = append(out, '}')
	}
	return out, nil
}

func unmarshalOne(data []byte) (Component, error) {
	var head struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, err
	}
	dec, ok := kinds[head.Kind]
	if !ok {
		return nil, fmt.Errorf("unknown component kind %q", head.Kind)
	}
	return dec(data)
}

func decode[T Component](data []byte) (Component, error) {
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("%s: %w", v.Kind(), err)
	}
	return v, nil
}
