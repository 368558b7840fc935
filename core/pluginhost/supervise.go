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
// answering (its health check or HangAfter calls in a row timed out) is
// killed outright and restarted after a backoff that doubles with each
// failure; after MaxFailures in FailureWindow it is marked failed and left
// off. Each step is logged with its reason and shown on the admin page.
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
				return
			}
			select {
			case <-stop:
				return
			case <-time.After(delay):
			}
			err = p.start()
			if err == nil && stopped(stop) {
				p.kill(true) // stopped while starting: do not leave a process behind
				return
			}
		}
	}
}

// check asks a running plugin for its health.
func (p *Plugin) check() error {
	p.mu.Lock()
	state, client, rpc, hung := p.state, p.client, p.rpc, p.hung
	p.hung = nil
	p.mu.Unlock()
	if state != StateRunning {
		return nil
	}
	if hung != nil {
		return hung
	}
	if client == nil || client.Exited() {
		return errors.New("plugin process exited")
	}
	ctx, cancel := context.WithTimeout(context.Background(), p.m.opt.HealthTimeout)
	defer cancel()
	if _, err := rpc.Health(ctx, &pluginpb.HealthRequest{}); err != nil {
		p.mu.Lock()
		hung, p.hung = p.hung, nil
		p.mu.Unlock()
		if hung != nil {
			return hung // killed for its calls' timeouts while this check waited
		}
		if ctx.Err() != nil {
			return fmt.Errorf("health check: no answer within %s: the process is hung; killed it to restart it", p.m.opt.HealthTimeout)
		}
		return fmt.Errorf("health check: %w", err)
	}
	p.answered()
	return nil
}

// failed records a failure, kills the process (it crashed or does not
// answer: there is no one to say goodbye to) and says how long to wait
// before the next start, or that the plugin has failed for good.
func (p *Plugin) failed(err error) (time.Duration, bool) {
	opt := p.m.opt
	p.kill(true)
	now := time.Now()
	p.mu.Lock()
	defer p.m.publish()
	defer p.mu.Unlock()
	kept := p.failures[:0]
	for _, f := range p.failures {
		if now.Sub(f) < opt.FailureWindow {
			kept = append(kept, f)
		}
	}
	p.failures = append(kept, now)
	if len(p.failures) >= opt.MaxFailures {
		p.setStateLocked(StateFailed, fmt.Sprintf("failed %d times within %s; last: %v; enable it again once fixed", len(p.failures), opt.FailureWindow, err))
		return 0, true
	}
	delay := opt.BackoffBase << (len(p.failures) - 1)
	if delay > opt.BackoffMax || delay <= 0 {
		delay = opt.BackoffMax
	}
	why := fmt.Sprintf("%v; restarting in %s", err, delay)
	p.restarts++
	p.lastRestart, p.lastRestartAt = why, now
	p.setStateLocked(StateRestarting, why)
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
