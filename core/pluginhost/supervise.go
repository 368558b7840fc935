package pluginhost

import (
	"context"
	"errors"
	"fmt"
	"time"

	pluginpb "github.com/atriumhq/atrium/sdk/proto"
)

// supervise checks the plugin's health every HealthInterval, and at once when
// a call failed as if the process were gone. A plugin that died or stopped
// answering is restarted after a backoff that doubles with each failure; after
// MaxFailures in FailureWindow it is marked failed and left off.
func (p *Plugin) supervise() {
	opt := p.m.opt
	t := time.NewTicker(opt.HealthInterval)
	defer t.Stop()
	p.mu.RLock()
	stop := p.stop
	p.mu.RUnlock()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		case <-p.kick:
		}
		err := p.check()
		if err == nil {
			continue
		}
		for err != nil {
			if stopped(stop) {
				return // disabled or re-enabled meanwhile: the admin decides
			}
			delay, failed := p.failed(err)
			if failed {
				p.m.opt.Log.Error("plugin failed; enable it again once fixed", "plugin", p.manifest.ID, "err", err)
				return
			}
			p.m.opt.Log.Warn("plugin down; restarting", "plugin", p.manifest.ID, "in", delay, "err", err)
			select {
			case <-stop:
				return
			case <-time.After(delay):
			}
			err = p.start()
			if err == nil && stopped(stop) {
				p.kill() // stopped while starting: do not leave a process behind
				return
			}
		}
	}
}

// check asks a running plugin for its health.
func (p *Plugin) check() error {
	p.mu.RLock()
	state, client, rpc := p.state, p.client, p.rpc
	p.mu.RUnlock()
	if state != StateRunning {
		return nil
	}
	if client == nil || client.Exited() {
		return errors.New("plugin process exited")
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.m.opt.HealthTimeout)
	defer cancel()
	if _, err := rpc.Health(ctx, &pluginpb.HealthRequest{}); err != nil {
		return fmt.Errorf("health check: %w", err)
	}
	return nil
}

// failed records a failure, stops the process and says how long to wait
// before the next start, or that the plugin has failed for good.
func (p *Plugin) failed(err error) (time.Duration, bool) {
	opt := p.m.opt
	p.kill()
	now := time.Now()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.lastErr, p.lastErrAt = err.Error(), now
	kept := p.failures[:0]
	for _, f := range p.failures {
		if now.Sub(f) < opt.FailureWindow {
			kept = append(kept, f)
		}
	}
	p.failures = append(kept, now)
	if len(p.failures) >= opt.MaxFailures {
		p.state = StateFailed
		p.lastErr = fmt.Sprintf("failed %d times within %s; last: %v", len(p.failures), opt.FailureWindow, err)
		return 0, true
	}
	p.state = StateRestarting
	delay := opt.BackoffBase << (len(p.failures) - 1)
	if delay > opt.BackoffMax || delay <= 0 {
		delay = opt.BackoffMax
	}
	return delay, false
}

func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}
