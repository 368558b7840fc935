package web

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// APIDocs is the API reference page, drawn from the OpenAPI document on the
// server: it works without scripts and without reaching any CDN.
type APIDocs struct {
	Title       string
	Version     string
	Description string
	Groups      []APIGroup
}

// APIGroup is the operations of one tag.
type APIGroup struct {
	Tag        string
	Operations []APIOperation
}

// APIOperation is one documented operation.
type APIOperation struct {
	ID, Method, Path, Summary, Description string
	Access                                 string
	Params                                 []APIParam
	Body                                   string // schema name of the request body
	Responses                              []APIResponse
}

// APIParam is a path, query or header parameter.
type APIParam struct {
	Name, In, Type, Doc string
	Required            bool
}

// APIResponse is a documented response.
type APIResponse struct {
	Status, Description, Schema string
}

func (s *Server) apiDocs(w http.ResponseWriter, r *http.Request) {
	if s.OpenAPI == nil {
		s.notFound(w, r)
		return
	}
	doc := s.OpenAPI
	data := APIDocs{Title: doc.Info.Title, Version: doc.Info.Version, Description: doc.Info.Description}
	groups := map[string]*APIGroup{}
	for path, item := range doc.Paths {
		for method, op := range map[string]*huma.Operation{"GET": item.Get, "POST": item.Post, "PUT": item.Put, "PATCH": item.Patch, "DELETE": item.Delete} {
			if op == nil {
				continue
			}
			tag := "Other"
			if len(op.Tags) > 0 {
				tag = op.Tags[0]
			}
			g := groups[tag]
			if g == nil {
				g = &APIGroup{Tag: tag}
				groups[tag] = g
			}
			o := APIOperation{ID: op.OperationID, Method: method, Path: path, Summary: op.Summary, Description: op.Description}
			if acc, ok := op.Metadata["access"]; ok {
				o.Access = stringOf(acc)
			}
			for _, p := range op.Parameters {
				pa := APIParam{Name: p.Name, In: p.In, Required: p.Required, Doc: p.Description}
				if p.Schema != nil {
					pa.Type = p.Schema.Type
				}
				o.Params = append(o.Params, pa)
			}
			if op.RequestBody != nil {
				if mt := op.RequestBody.Content["application/json"]; mt != nil && mt.Schema != nil {
					o.Body = schemaName(mt.Schema)
				}
			}
			for status, res := range op.Responses {
				ar := APIResponse{Status: status, Description: res.Description}
				if mt := res.Content["application/json"]; mt != nil && mt.Schema != nil {
					ar.Schema = schemaName(mt.Schema)
				}
				o.Responses = append(o.Responses, ar)
			}
			slices.SortFunc(o.Responses, func(a, b APIResponse) int { return cmp.Compare(a.Status, b.Status) })
			g.Operations = append(g.Operations, o)
		}
	}
	for _, g := range groups {
		slices.SortFunc(g.Operations, func(a, b APIOperation) int {
			return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(methodOrder(a.Method), methodOrder(b.Method)))
		})
		data.Groups = append(data.Groups, *g)
	}
	slices.SortFunc(data.Groups, func(a, b APIGroup) int { return cmp.Compare(a.Tag, b.Tag) })
	s.page(w, r, http.StatusOK, "api-docs", "API reference", data)
}

func methodOrder(m string) int {
	return strings.Index("GET POST PUT PATCH DELETE", m)
}

func schemaName(s *huma.Schema) string {
	if s.Ref != "" {
		return s.Ref[strings.LastIndex(s.Ref, "/")+1:]
	}
	if s.Type == "array" && s.Items != nil {
		return schemaName(s.Items) + "[]"
	}
	return s.Type
}

func stringOf(v any) string { return fmt.Sprint(v) }
