package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxParam is the longest query parameter a page or operation takes: a
// search of tens of kilobytes is a mistake or an attack, and SQLite refuses
// LIKE patterns past 50 KB with an error that would otherwise be a 500.
const maxParam = 2000

// textProblem is one field whose text cannot be taken.
type textProblem struct {
	Field, Message string
	query          bool // a query parameter
}

// badText says what is wrong with a value of field, or "".
func badText(value string) string {
	switch {
	case !utf8.ValidString(value):
		return "is not valid UTF-8 text"
	case strings.IndexByte(value, 0) >= 0:
		return "contains a NUL character, which text cannot hold"
	}
	return ""
}

// checkText refuses, before any handler runs, text no field may hold: NUL
// characters and invalid UTF-8 in query parameters, forms and JSON bodies,
// and query parameters longer than maxParam. The answer is 422 naming the
// field, the same on both engines, where the database would otherwise
// refuse it with a 500 (PostgreSQL keeps no NUL in text) or keep bytes no
// page can show. Multipart forms are checked as they are read (submit.go).
func (s *Server) checkText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := queryProblem(r.URL); !ok {
			s.refuseText(w, r, p)
			return
		}
		if r.Body != nil && (r.Method == http.MethodPost || r.Method == http.MethodPut || r.Method == http.MethodPatch) {
			ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
			if ct == "application/x-www-form-urlencoded" || ct == "application/json" {
				body, err := io.ReadAll(io.LimitReader(r.Body, maxFormText+1))
				if err != nil {
					http.Error(w, "The request could not be read.", http.StatusBadRequest)
					return
				}
				r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
				if len(body) <= maxFormText {
					if p, ok := bodyProblem(ct, body); !ok {
						s.refuseText(w, r, p)
						return
					}
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// queryProblem finds the first query parameter that cannot be taken.
func queryProblem(u *url.URL) (textProblem, bool) {
	if u.RawQuery == "" {
		return textProblem{}, true
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return textProblem{Field: "query", Message: "is not a well-formed query string"}, false
	}
	for _, k := range sortedKeys(q) {
		if msg := badText(k); msg != "" {
			return textProblem{Field: "query", Message: "has a parameter name that " + msg}, false
		}
		for _, v := range q[k] {
			if msg := badText(v); msg != "" {
				return textProblem{Field: k, Message: msg, query: true}, false
			}
			if len(v) > maxParam {
				return textProblem{Field: k, Message: fmt.Sprintf("is longer than %d characters", maxParam), query: true}, false
			}
		}
	}
	return textProblem{}, true
}

// bodyProblem finds the first field of a form or JSON body that cannot be
// taken; a body that is not what it says is left to its handler.
func bodyProblem(ct string, body []byte) (textProblem, bool) {
	if ct == "application/json" {
		if !utf8.Valid(body) {
			return textProblem{Field: "body", Message: "is not valid UTF-8 text"}, false
		}
		var v any
		if json.Unmarshal(body, &v) != nil {
			return textProblem{}, true
		}
		if path, ok := jsonNUL(v, "body"); !ok {
			return textProblem{Field: path, Message: "contains a NUL character, which text cannot hold"}, false
		}
		return textProblem{}, true
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return textProblem{}, true
	}
	for _, k := range sortedKeys(form) {
		for _, v := range form[k] {
			if msg := badText(v); msg != "" {
				return textProblem{Field: k, Message: msg}, false
			}
		}
	}
	return textProblem{}, true
}

// jsonNUL walks a decoded JSON value for a string (or key) holding NUL and
// returns its path ("body.company", "body.items[2].name").
func jsonNUL(v any, path string) (string, bool) {
	switch x := v.(type) {
	case string:
		return path, strings.IndexByte(x, 0) < 0
	case []any:
		for i, e := range x {
			if p, ok := jsonNUL(e, path+"["+strconv.Itoa(i)+"]"); !ok {
				return p, false
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if strings.IndexByte(k, 0) >= 0 {
				return path, false
			}
			if p, ok := jsonNUL(x[k], path+"."+k); !ok {
				return p, false
			}
		}
	}
	return path, true
}

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// refuseText answers 422 naming the field: problem details for the API, a
// page for people.
func (s *Server) refuseText(w http.ResponseWriter, r *http.Request, p textProblem) {
	field := strings.ToValidUTF8(p.Field, "?")
	if strings.HasPrefix(r.URL.Path, "/api/") {
		if p.query {
			field = "query." + field // as the API names its parameters
		}
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		json.NewEncoder(w).Encode(map[string]any{ //nolint:errcheck // the client went away
			"title": "Unprocessable Entity", "status": http.StatusUnprocessableEntity,
			"detail": "The request holds text that cannot be taken; nothing was changed.",
			"errors": []map[string]string{{"location": field, "message": p.Message}},
		})
		return
	}
	s.errorPage(w, r, http.StatusUnprocessableEntity, "That did not work", fmt.Sprintf("%s %s; nothing was changed.", field, p.Message))
}
