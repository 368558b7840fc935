package pluginpack

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"aead.dev/minisign"
)

// KeysFile, in the plugins folder, lists the publisher keys the portal
// trusts. It lives beside the installed plugins it vouches for, so a
// backup of the data folder keeps both, and the command line manages it
// with or without a running portal.
const KeysFile = "trusted-keys.json"

// Key is a publisher key an admin trusts.
type Key struct {
	// ID is the minisign key id, 16 upper-case hex digits, as minisign
	// prints it.
	ID string `json:"id"`
	// Name says whose key it is, in the admin's words ("Acme Corp").
	Name string `json:"name"`
	// PublicKey is the key in minisign's base64 form (the second line of a
	// .pub file).
	PublicKey string    `json:"publicKey"`
	AddedAt   time.Time `json:"addedAt"`
}

// KeyID formats a minisign key id as minisign prints it.
func KeyID(id uint64) string { return strings.ToUpper(fmt.Sprintf("%016x", id)) }

// ParsePublicKey reads a minisign public key: the contents of a .pub file,
// or its base64 line alone.
func ParsePublicKey(text string) (minisign.PublicKey, error) {
	var pk minisign.PublicKey
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "untrusted comment:") {
		text = "untrusted comment: \n" + text
	}
	if err := pk.UnmarshalText([]byte(text)); err != nil {
		return pk, fmt.Errorf("not a minisign public key: %w", err)
	}
	return pk, nil
}

// Keys reads the trusted keys in pluginsDir, sorted by name; none when the
// list was never written.
func Keys(pluginsDir string) ([]Key, error) {
	b, err := os.ReadFile(filepath.Join(pluginsDir, KeysFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var keys []Key
	if err := json.Unmarshal(b, &keys); err != nil {
		return nil, fmt.Errorf("%s: %w", KeysFile, err)
	}
	slices.SortFunc(keys, func(a, b Key) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return keys, nil
}

// Trust adds a publisher's public key (a .pub file's contents or its
// base64 line) to the trusted keys under name. Adding a key that is
// already trusted renames it.
func Trust(pluginsDir, name, publicKey string) (Key, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Key{}, errors.New("name the key's publisher (--name)")
	}
	pk, err := ParsePublicKey(publicKey)
	if err != nil {
		return Key{}, err
	}
	keys, err := Keys(pluginsDir)
	if err != nil {
		return Key{}, err
	}
	k := Key{ID: KeyID(pk.ID()), Name: name, PublicKey: pk.String(), AddedAt: time.Now().UTC().Truncate(time.Second)}
	keys = slices.DeleteFunc(keys, func(o Key) bool { return o.ID == k.ID })
	keys = append(keys, k)
	return k, writeKeys(pluginsDir, keys)
}

// ErrNoKey is returned for a key that is not on the trusted list.
var ErrNoKey = errors.New("no trusted key")

// Untrust removes the trusted key with the given id or name. Plugins
// already installed from packages it signed stay installed; the next
// package it signs is refused.
func Untrust(pluginsDir, idOrName string) (Key, error) {
	keys, err := Keys(pluginsDir)
	if err != nil {
		return Key{}, err
	}
	i := slices.IndexFunc(keys, func(k Key) bool {
		return strings.EqualFold(k.ID, idOrName) || strings.EqualFold(k.Name, idOrName)
	})
	if i < 0 {
		return Key{}, fmt.Errorf("%w: %s", ErrNoKey, idOrName)
	}
	k := keys[i]
	return k, writeKeys(pluginsDir, slices.Delete(keys, i, i+1))
}

func writeKeys(pluginsDir string, keys []Key) error {
	if keys == nil {
		keys = []Key{}
	}
	b, err := json.MarshalIndent(keys, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(pluginsDir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(pluginsDir, ".keys-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(pluginsDir, KeysFile))
}

// GenerateKey makes a publisher's key pair in minisign's file formats: the
// secret key (encrypted with password unless it is empty) and the public
// key to hand to portal admins.
func GenerateKey(password string) (secret, public []byte, id string, err error) {
	pub, priv, err := minisign.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, "", err
	}
	if password != "" {
		secret, err = minisign.EncryptKey(password, priv)
	} else {
		secret, err = priv.MarshalText()
	}
	if err != nil {
		return nil, nil, "", err
	}
	public, _ = pub.MarshalText()
	return append(secret, '\n'), append(public, '\n'), KeyID(pub.ID()), nil
}

// ReadSecretKey reads a minisign secret key file, decrypting it with
// password when it is encrypted.
func ReadSecretKey(path, password string) (minisign.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return minisign.PrivateKey{}, err
	}
	var k minisign.PrivateKey
	if minisign.IsEncrypted(b) {
		if password == "" {
			return k, fmt.Errorf("%s is protected by a password: give it with --password-file or %s", path, PasswordEnv)
		}
		k, err = minisign.DecryptKey(password, b)
	} else {
		err = k.UnmarshalText(b)
	}
	if err != nil {
		return k, fmt.Errorf("%s: %w", path, err)
	}
	return k, nil
}

// PasswordEnv names the environment variable that may hold a secret key's
// password, for scripts and CI; a terminal user gives a file instead.
const PasswordEnv = "ATRIUM_SIGNING_PASSWORD"

// quote is strconv.Quote, named for what it does here: show a name from an
// archive without letting it forge lines in a message.
func quote(s string) string { return strconv.Quote(s) }
