package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/atriumhq/atrium/core/pluginhost"
	"github.com/atriumhq/atrium/core/pluginpack"
	"github.com/spf13/cobra"
)

// pluginInstallCmd installs a plugin from a folder (an author's build), a
// package file or an https URL. A package must be signed by a trusted
// publisher unless the admin says --allow-unsigned; the signature is
// checked before anything is unpacked or run.
func pluginInstallCmd(g *globals) *cobra.Command {
	var opt pluginpack.Options
	cmd := &cobra.Command{
		Use:   "install FOLDER|PACKAGE|URL [--allow-unsigned] [--signature FILE|URL]",
		Short: "Install a plugin from a folder, a signed package file or an https URL, pinning its checksums",
		Long: `Install installs (or upgrades) a plugin from one of:

  - a package built by atrium plugins pack (vendor-name-version.tar.gz), with
    its signature beside it (the same name with .minisig added); it must be
    signed by a publisher key on the portal's trusted list (atrium plugins
    trust add), unless --allow-unsigned is given;
  - the https URL of such a package (its signature is fetched from the same
    URL with .minisig added);
  - a folder holding plugin.yaml and its executables, such as the author's
    own build; it is installed as unsigned.

The signature is checked before the package is unpacked; then the plugin
checker runs and starts the executable once, as atrium plugins check does.
A refused plugin leaves the installed copy as it was. The plugins page, the
API and atrium plugins list show whether each plugin is signed.`,
		Example: `  atrium plugins install ./build/nps
  atrium plugins install acme-nps-1.2.0.tar.gz
  atrium plugins install https://plugins.acme.example/acme-nps-1.2.0.tar.gz
  atrium plugins install ./acme-nps-1.2.0.tar.gz --allow-unsigned`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, dir := args[0], pluginsDir(g)
			if st, err := os.Stat(src); err == nil && st.IsDir() {
				m, err := pluginhost.Install(src, dir)
				if err != nil {
					return fmt.Errorf("install %s: %w", src, err)
				}
				g.say(g.stdout, "cli.plugins.installed-folder", "Plugin", m.ID, "Version", m.Version)
				return nil
			}
			keys, err := pluginpack.Keys(dir)
			if err != nil {
				return err
			}
			opt.Keys = keys
			m, origin, err := pluginpack.Install(cmd.Context(), src, opt, func(unpacked string, o pluginhost.Origin) (pluginhost.Manifest, error) {
				return pluginhost.InstallFrom(unpacked, dir, o)
			})
			if err != nil {
				return fmt.Errorf("install %s: %w", src, err)
			}
			g.say(g.stdout, "cli.plugins.installed", "Plugin", m.ID, "Version", m.Version, "Trust", trustText(g, origin.Trust, origin.Publisher, origin.KeyID))
			return nil
		},
	}
	cmd.Flags().BoolVar(&opt.AllowUnsigned, "allow-unsigned", false, "install a package that is unsigned or signed by a key the portal does not trust (shown as such)")
	cmd.Flags().StringVar(&opt.Signature, "signature", "", "the package's signature file or https URL (default: the package's name with .minisig added)")
	cmd.Flags().Int64Var(&opt.MaxArchive, "max-size", pluginpack.DefaultMaxArchive, "refuse a package bigger than this many bytes")
	return cmd
}

// trustText says in a few words how far a plugin is vouched for.
func trustText(g *globals, t pluginhost.Trust, publisher, keyID string) string {
	switch t {
	case pluginhost.TrustSigned:
		return g.loc.T("cli.plugins.trust-signed", "Publisher", publisher)
	case pluginhost.TrustUntrusted:
		return g.loc.T("cli.plugins.trust-untrusted", "Key", keyID)
	}
	return g.loc.T("cli.plugins.trust-unsigned")
}

// pluginPackCmd builds a plugin's package and signs it.
func pluginPackCmd(g *globals) *cobra.Command {
	var key, passwordFile, out string
	var unsigned bool
	cmd := &cobra.Command{
		Use:   "pack DIR --key FILE [--out DIR]",
		Short: "Build a plugin's package (manifest, executables, checksums) and sign it with the publisher's key",
		Long: `Pack builds vendor-name-version.tar.gz from a plugin folder (plugin.yaml and
the executables it names that are built) with a CHECKSUMS file, and signs it
with a minisign secret key (atrium plugins keygen, or minisign -G) into the
same name with .minisig added. Publish both files side by side; portals
that trust your public key install the package without further questions,
and anyone can check it with: minisign -Vm PACKAGE -p PUBLIC-KEY.

A password-protected key takes its password from --password-file or the
` + pluginpack.PasswordEnv + ` environment variable.`,
		Example: `  atrium plugins pack ./build/nps --key ~/.atrium/acme.key --out dist`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if key == "" && !unsigned {
				return g.loc.Errorf("cli.plugins.key-needed")
			}
			p, err := func() (pluginpack.Packed, error) {
				if unsigned {
					return pluginpack.Pack(args[0], nil)
				}
				password, err := readPassword(passwordFile)
				if err != nil {
					return pluginpack.Packed{}, err
				}
				k, err := pluginpack.ReadSecretKey(key, password)
				if err != nil {
					return pluginpack.Packed{}, err
				}
				return pluginpack.Pack(args[0], &k)
			}()
			if err != nil {
				return fmt.Errorf("pack %s: %w", args[0], err)
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			archive := filepath.Join(out, p.Name)
			if err := os.WriteFile(archive, p.Archive, 0o644); err != nil {
				return err
			}
			g.sayN(g.stdout, "cli.plugins.packed", len(p.Archive), "Archive", archive, "Plugin", p.ID+" "+p.Version, "Files", strings.Join(p.Files, ", "))
			sig := archive + pluginpack.SignatureSuffix
			if p.Signature == nil {
				os.Remove(sig) // a stale signature would not match
				return nil
			}
			if err := os.WriteFile(sig, p.Signature, 0o644); err != nil {
				return err
			}
			g.say(g.stdout, "cli.plugins.wrote", "File", sig)
			return nil
		},
	}
	cmd.Flags().StringVar(&key, "key", "", "the publisher's minisign secret key file")
	cmd.Flags().StringVar(&passwordFile, "password-file", "", "a file holding the secret key's password")
	cmd.Flags().StringVar(&out, "out", ".", "the folder to write the package and its signature to")
	cmd.Flags().BoolVar(&unsigned, "unsigned", false, "pack without signing (portals then need --allow-unsigned)")
	return cmd
}

func readPassword(file string) (string, error) {
	if file == "" {
		return os.Getenv(pluginpack.PasswordEnv), nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// pluginKeygenCmd makes a publisher's key pair.
func pluginKeygenCmd(g *globals) *cobra.Command {
	var name, passwordFile string
	cmd := &cobra.Command{
		Use:   "keygen [--name NAME]",
		Short: "Make a publisher's signing key pair (minisign format): NAME.key to keep secret, NAME.pub to hand to portal admins",
		Long: `Keygen writes a minisign key pair: NAME.key, the secret key that signs
packages (keep it out of the plugin's repository), and NAME.pub, the public
key portal admins trust with atrium plugins trust add. The secret key is
protected with the password from --password-file or the
` + pluginpack.PasswordEnv + ` environment variable; without one it is written
unprotected, readable by its owner only. minisign reads both files.`,
		Example: `  atrium plugins keygen --name acme --password-file ~/.atrium/password`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			password, err := readPassword(passwordFile)
			if err != nil {
				return err
			}
			secretFile, publicFile := name+".key", name+".pub"
			for _, f := range []string{secretFile, publicFile} {
				if _, err := os.Stat(f); err == nil {
					return g.loc.Errorf("cli.plugins.key-exists", "File", f)
				}
			}
			secret, public, id, err := pluginpack.GenerateKey(password)
			if err != nil {
				return err
			}
			if err := os.WriteFile(secretFile, secret, 0o600); err != nil {
				return err
			}
			if err := os.WriteFile(publicFile, public, 0o644); err != nil {
				return err
			}
			written := "cli.plugins.keygen-protected"
			if password == "" {
				written = "cli.plugins.keygen-unprotected"
			}
			g.say(g.stdout, written, "Secret", secretFile, "Public", publicFile, "Key", id)
			g.say(g.stdout, "cli.plugins.keygen-trust", "Public", publicFile, "Name", fmt.Sprintf("%q", filepath.Base(name)))
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "publisher", "the files' name: NAME.key and NAME.pub")
	cmd.Flags().StringVar(&passwordFile, "password-file", "", "a file holding the password protecting the secret key")
	return cmd
}

// pluginTrustCmd manages the publisher keys the portal trusts.
func pluginTrustCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "trust",
		Short: "List, add and remove the publisher keys whose signed packages the portal installs",
	}
	var name string
	add := &cobra.Command{
		Use:   "add PUBLIC-KEY-FILE|KEY --name PUBLISHER",
		Short: "Trust a publisher's minisign public key (a .pub file, or the key itself)",
		Example: `  atrium plugins trust add acme.pub --name "Acme Corp"
  atrium plugins trust add RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3 --name "Acme Corp"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			text := args[0]
			if b, err := os.ReadFile(args[0]); err == nil {
				text = string(b)
			} else if !os.IsNotExist(err) {
				return err
			}
			k, err := pluginpack.Trust(pluginsDir(g), name, text)
			if err != nil {
				return fmt.Errorf("trust %s: %w", args[0], err)
			}
			g.say(g.stdout, "cli.plugins.trusted", "Key", k.ID, "Publisher", k.Name)
			return nil
		},
	}
	add.Flags().StringVar(&name, "name", "", "whose key it is, as the plugins page shows it")
	list := &cobra.Command{
		Use:   "list",
		Short: "List the trusted publisher keys",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			keys, err := pluginpack.Keys(pluginsDir(g))
			if err != nil {
				return err
			}
			if len(keys) == 0 {
				g.say(g.stdout, "cli.plugins.no-keys")
				return nil
			}
			w := tabwriter.NewWriter(g.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, g.loc.T("cli.plugins.keys-head"))
			for _, k := range keys {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", k.ID, k.Name, g.loc.Date(k.AddedAt), k.PublicKey)
			}
			return w.Flush()
		},
	}
	remove := &cobra.Command{
		Use:   "remove ID|PUBLISHER",
		Short: "Stop trusting a key; plugins installed from its packages stay installed",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := pluginpack.Untrust(pluginsDir(g), args[0])
			if err != nil {
				return err
			}
			g.say(g.stdout, "cli.plugins.key-removed", "Key", k.ID, "Publisher", k.Name)
			return nil
		},
	}
	cmd.AddCommand(add, list, remove)
	return cmd
}
