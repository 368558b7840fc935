package ui

// Walk calls fn for c and every component below it, depth first, with the
// depth of each (c is at depth 0). It stops early when fn returns false. An
// empty slot in a list of children is passed as nil, so checks can refuse it.
func Walk(c Component, fn func(c Component, depth int) bool) {
	walk(c, 0, fn)
}

func walk(c Component, depth int, fn func(Component, int) bool) bool {
	if !fn(c, depth) {
		return false
	}
	if c == nil {
		return true
	}
	for _, child := range childrenOf(c) {
		if !walk(child, depth+1, fn) {
			return false
		}
	}
	return true
}

// childrenOf lists the components directly inside c, including the cells of a
// table and the buttons of an action bar.
func childrenOf(c Component) []Component {
	switch v := c.(type) {
	case Stack:
		return v.Children
	case *Stack:
		return v.Children
	case Columns:
		return v.Children
	case *Columns:
		return v.Children
	case Card:
		return append(append([]Component{}, v.Body...), v.Footer...)
	case *Card:
		return append(append([]Component{}, v.Body...), v.Footer...)
	case Table:
		return tableCells(v.Rows)
	case *Table:
		return tableCells(v.Rows)
	}
	return nil
}

func tableCells(rows []TableRow) []Component {
	var out []Component
	for _, r := range rows {
		out = append(out, r.Cells...)
	}
	return out
}
