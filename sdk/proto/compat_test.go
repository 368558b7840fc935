package pluginpb_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	pluginpb "github.com/atriumhq/atrium/sdk/proto"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/types/descriptorpb"
)

var update = flag.Bool("update", false, "rewrite the protocol snapshot after a deliberate, compatible change")

const snapshot = "testdata/plugin.v1.binpb"

// TestNoBreakingChange fails when plugin.proto drops or renumbers anything a
// released plugin may rely on, compared with the committed descriptor
// snapshot. Adding fields, messages and rpcs is fine (refresh the snapshot
// with -update).
func TestNoBreakingChange(t *testing.T) {
	current := protodesc.ToFileDescriptorProto(pluginpb.File_plugin_proto)
	if *update {
		set := &descriptorpb.FileDescriptorSet{File: []*descriptorpb.FileDescriptorProto{current}}
		b, err := proto.MarshalOptions{Deterministic: true}.Marshal(set)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(snapshot), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(snapshot, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(snapshot)
	if err != nil {
		t.Fatalf("read snapshot (create it with -update): %v", err)
	}
	var set descriptorpb.FileDescriptorSet
	if err := proto.Unmarshal(b, &set); err != nil {
		t.Fatal(err)
	}
	for _, problem := range Breaking(set.File[0], current) {
		t.Error(problem)
	}
}

// Breaking lists what next removes or changes from prev.
func Breaking(prev, next *descriptorpb.FileDescriptorProto) []string {
	var out []string
	if prev.GetPackage() != next.GetPackage() {
		out = append(out, fmt.Sprintf("package changed from %s to %s", prev.GetPackage(), next.GetPackage()))
	}
	msgs := map[string]*descriptorpb.DescriptorProto{}
	var index func(prefix string, ms []*descriptorpb.DescriptorProto)
	index = func(prefix string, ms []*descriptorpb.DescriptorProto) {
		for _, m := range ms {
			msgs[prefix+m.GetName()] = m
			index(prefix+m.GetName()+".", m.GetNestedType())
		}
	}
	index("", next.GetMessageType())
	var check func(prefix string, ms []*descriptorpb.DescriptorProto)
	check = func(prefix string, ms []*descriptorpb.DescriptorProto) {
		for _, pm := range ms {
			name := prefix + pm.GetName()
			nm, ok := msgs[name]
			if !ok {
				out = append(out, "message "+name+" was removed")
				continue
			}
			byNum := map[int32]*descriptorpb.FieldDescriptorProto{}
			for _, f := range nm.GetField() {
				byNum[f.GetNumber()] = f
			}
			for _, pf := range pm.GetField() {
				nf, ok := byNum[pf.GetNumber()]
				switch {
				case !ok:
					out = append(out, fmt.Sprintf("field %s.%s (%d) was removed or renumbered", name, pf.GetName(), pf.GetNumber()))
				case nf.GetName() != pf.GetName():
					out = append(out, fmt.Sprintf("field %s %d was renamed from %s to %s", name, pf.GetNumber(), pf.GetName(), nf.GetName()))
				case nf.GetType() != pf.GetType() || nf.GetTypeName() != pf.GetTypeName():
					out = append(out, fmt.Sprintf("field %s.%s changed type", name, pf.GetName()))
				case nf.GetLabel() != pf.GetLabel():
					out = append(out, fmt.Sprintf("field %s.%s changed between single and repeated", name, pf.GetName()))
				}
			}
			check(name+".", pm.GetNestedType())
		}
	}
	check("", prev.GetMessageType())
	services := map[string]*descriptorpb.ServiceDescriptorProto{}
	for _, s := range next.GetService() {
		services[s.GetName()] = s
	}
	for _, ps := range prev.GetService() {
		ns, ok := services[ps.GetName()]
		if !ok {
			out = append(out, "service "+ps.GetName()+" was removed")
			continue
		}
		rpcs := map[string]*descriptorpb.MethodDescriptorProto{}
		for _, m := range ns.GetMethod() {
			rpcs[m.GetName()] = m
		}
		for _, pm := range ps.GetMethod() {
			nm, ok := rpcs[pm.GetName()]
			switch {
			case !ok:
				out = append(out, fmt.Sprintf("rpc %s.%s was removed", ps.GetName(), pm.GetName()))
			case nm.GetInputType() != pm.GetInputType() || nm.GetOutputType() != pm.GetOutputType():
				out = append(out, fmt.Sprintf("rpc %s.%s changed its request or response type", ps.GetName(), pm.GetName()))
			}
		}
	}
	return out
}

// TestBreakingDetects proves the check sees each kind of break.
func TestBreakingDetects(t *testing.T) {
	base := protodesc.ToFileDescriptorProto(pluginpb.File_plugin_proto)
	tests := []struct {
		name   string
		change func(f *descriptorpb.FileDescriptorProto)
	}{
		{"field removed", func(f *descriptorpb.FileDescriptorProto) {
			m := find(f, "Viewer")
			m.Field = m.Field[1:]
		}},
		{"field renumbered", func(f *descriptorpb.FileDescriptorProto) { find(f, "Viewer").Field[0].Number = proto.Int32(99) }},
		{"field retyped", func(f *descriptorpb.FileDescriptorProto) {
			find(f, "Viewer").Field[0].Type = descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum()
		}},
		{"message removed", func(f *descriptorpb.FileDescriptorProto) { f.MessageType = f.MessageType[1:] }},
		{"rpc removed", func(f *descriptorpb.FileDescriptorProto) { f.Service[0].Method = f.Service[0].Method[1:] }},
	}
	if got := Breaking(base, base); len(got) != 0 {
		t.Fatalf("unchanged protocol reported as broken: %v", got)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := proto.Clone(base).(*descriptorpb.FileDescriptorProto)
			tt.change(next)
			if got := Breaking(base, next); len(got) == 0 {
				t.Error("not detected")
			}
		})
	}
}

func find(f *descriptorpb.FileDescriptorProto, name string) *descriptorpb.DescriptorProto {
	for _, m := range f.MessageType {
		if m.GetName() == name {
			return m
		}
	}
	panic(name)
}
