package schemaform

// words are the few labels the form model makes up itself; everything else
// a person reads comes from the schema or from the theme's templates. Kept
// in one place, to be translated with the rest of the portal.
var words = struct {
	Choice string // the group of an object's oneOf, when the schema has no title
	Option string // a branch without a title: "Option 2"
	Empty  string // an enum's empty string
}{
	Choice: "Kind",
	Option: "Option %d",
	Empty:  "None",
}
