package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"

	"github.com/atriumhq/atrium/core/auth"
	"github.com/atriumhq/atrium/core/directory"
	"github.com/atriumhq/atrium/core/fail"
	"github.com/atriumhq/atrium/sdk"
	"github.com/spf13/cobra"
)

func usersCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "users", Short: "Create users"}
	var in directory.UserInput
	var role, partner, baseURL string
	var passwordStdin bool
	create := &cobra.Command{
		Use:   "create --email EMAIL --name NAME [--role ROLE] [--partner SLUG]",
		Short: "Create a user and print an invitation link (or set a password from stdin)",
		Example: "  atrium users create --email admin@example.com --name 'Ada Admin' --role admin\n" +
			"  echo 'a long passphrase' | atrium users create --email ada@example.com --name Ada --role admin --password-stdin",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer a.Close()
			in.Role = sdk.Role(role)
			if partner != "" {
				p, err := a.dir.PartnerBySlug(cmd.Context(), partner)
				if err != nil {
					return fmt.Errorf("--partner: %w", err)
				}
				in.PartnerID = &p.ID
			}
			var password string
			if passwordStdin {
				line, err := bufio.NewReader(g.stdin).ReadString('\n')
				if err != nil && line == "" {
					return g.loc.Errorf("cli.users.no-password")
				}
				password = strings.TrimRight(line, "\r\n")
				if err := auth.CheckPassword(password, in.Email); err != nil {
					return fieldErrors(err)
				}
			}
			u, err := a.dir.CreateUser(cmd.Context(), in)
			if err != nil {
				return fieldErrors(err)
			}
			authSvc := auth.New(a.db, a.dir, auth.Config{})
			if passwordStdin {
				if err := authSvc.SetPassword(cmd.Context(), u.ID, password); err != nil {
					return fieldErrors(err)
				}
				g.say(g.stdout, "cli.users.created-password", "Email", u.Email, "Role", u.Role)
				return nil
			}
			token, exp, err := authSvc.Invite(cmd.Context(), u.ID, 0)
			if err != nil {
				return err
			}
			g.say(g.stdout, "cli.users.created", "Email", u.Email, "Role", u.Role)
			g.say(g.stdout, "cli.users.invitation", "Until", g.loc.DateTime(exp)+" "+exp.Format("MST"))
			fmt.Fprintf(g.stdout, "  %s/invite/%s\n", strings.TrimRight(baseURL, "/"), token)
			return nil
		},
	}
	f := create.Flags()
	f.StringVar(&in.Email, "email", "", "email address (required)")
	f.StringVar(&in.Name, "name", "", "full name (required)")
	f.StringVar(&role, "role", string(sdk.RolePartnerUser), "admin, manager, partner_admin or partner_user")
	f.StringVar(&partner, "partner", "", "slug of the partner (for partner users)")
	f.StringVar(&in.ContactRole, "contact-role", "", "sales, technical, executive, marketing, ...")
	f.StringVar(&in.Title, "title", "", "job title")
	f.StringVar(&in.Phone, "phone", "", "phone number")
	f.BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input instead of printing an invitation")
	f.StringVar(&baseURL, "base-url", "http://127.0.0.1:8080", "the portal's address, for the invitation link")
	create.MarkFlagRequired("email")
	create.MarkFlagRequired("name")
	cmd.AddCommand(create)
	return cmd
}

// fieldErrors lists a validation error's fields one per line.
func fieldErrors(err error) error {
	e := fail.As(err)
	if e.Code != fail.Invalid || len(e.Fields) == 0 {
		return err
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for k, v := range e.Fields {
		fmt.Fprintf(&b, "\n  --%s: %s", flagName(k), v)
	}
	return errors.New(b.String())
}

// flagName maps a field name to its flag ("contactRole" -> "contact-role").
func flagName(field string) string {
	var b strings.Builder
	for _, r := range field {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('-')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return strings.ReplaceAll(b.String(), "-id", "")
}

func tokensCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{Use: "tokens", Short: "Create API tokens for integrations"}
	var email, name string
	create := &cobra.Command{
		Use:   "create --email EMAIL [--name NAME]",
		Short: "Create an API token acting as a user and print it (only its hash is kept)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			a, err := open(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer a.Close()
			u, err := a.dir.UserByEmail(cmd.Context(), email)
			if err != nil {
				return g.loc.Errorf("cli.tokens.no-user", "Email", fmt.Sprintf("%q", email))
			}
			if !u.Active {
				return g.loc.Errorf("cli.tokens.deactivated", "Email", email)
			}
			token, err := auth.New(a.db, a.dir, auth.Config{}).CreateToken(cmd.Context(), u.ID, name)
			if err != nil {
				return err
			}
			fmt.Fprintln(g.stdout, token)
			g.say(g.stderr, "cli.tokens.created", "Email", u.Email, "Role", u.Role)
			g.say(g.stderr, "cli.tokens.use")
			return nil
		},
	}
	create.Flags().StringVar(&email, "email", "", "the user the token acts as (required)")
	create.Flags().StringVar(&name, "name", "", "what the token is for")
	create.MarkFlagRequired("email")
	cmd.AddCommand(create)
	return cmd
}

func openapiCmd(g *globals) *cobra.Command {
	var yaml bool
	cmd := &cobra.Command{
		Use:   "openapi",
		Short: "Print the REST API's OpenAPI 3.1 document",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			doc := apiDocument()
			var b []byte
			var err error
			if yaml {
				b, err = doc.YAML()
			} else {
				b, err = doc.MarshalJSON()
			}
			if err != nil {
				return err
			}
			g.stdout.Write(b)
			fmt.Fprintln(g.stdout)
			return nil
		},
	}
	cmd.Flags().BoolVar(&yaml, "yaml", false, "print YAML instead of JSON")
	return cmd
}
