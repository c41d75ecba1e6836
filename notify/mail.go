package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/cleared/cleared"
)

// SMTP is how e-mails leave: the mail server cleared hands them to (a relay of the organisation), and as whom.
type SMTP struct {
	// Addr is the server's host:port; empty, no e-mail is sent: they wait in the outbox, retried, until a server is
	// configured (the server says so at start).
	Addr string
	// From is the sender's address.
	From string
	// Username and Password, if Username is set, authenticate with AUTH PLAIN, only over TLS (or to a server on
	// the loopback interface): a password is never sent in clear over a network.
	Username, Password string
	// RequireTLS refuses to send to a server that does not offer STARTTLS; without it, STARTTLS is used whenever
	// the server offers it, and a certificate that does not verify fails the attempt (never a silent downgrade).
	RequireTLS bool
	// TLS is the configuration of STARTTLS (its roots); nil is the system's roots, for the server's host name.
	TLS *tls.Config
	// Hello is the name given in EHLO; "localhost" if empty.
	Hello string
	// Timeout bounds one whole attempt (connect, dialogue, data); 30 s if zero.
	Timeout time.Duration
}

func (s SMTP) timeout() time.Duration {
	if s.Timeout <= 0 {
		return 30 * time.Second
	}
	return s.Timeout
}

// errNoSMTP is the error recorded on an e-mail while no mail server is configured.
var errNoSMTP = errors.New("no mail server is configured (cleared serve --smtp-addr): the e-mail waits in the outbox")

// send hands the e-mail d to the mail server, signed off at now.
func (s SMTP) send(ctx context.Context, d cleared.Delivery, now time.Time) (err error) {
	if s.Addr == "" {
		return errNoSMTP
	}
	to, err := mail.ParseAddress(d.Address)
	if err != nil {
		return fmt.Errorf("recipient address %q: %v", truncate(d.Address, 80), err)
	}
	msg, err := FormatMail(s.From, d, now)
	if err != nil {
		return err
	}
	from, _ := mail.ParseAddress(s.From) // FormatMail checked it

	host, _, err := net.SplitHostPort(s.Addr)
	if err != nil {
		return fmt.Errorf("mail server address %q: %v", s.Addr, err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout())
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", s.Addr)
	if err != nil {
		return fmt.Errorf("mail server %s: %w", s.Addr, err)
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	// A context cancelled mid-dialogue (the server stopping) ends the attempt at once.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail server %s: %w", s.Addr, err)
	}
	defer c.Close()
	hello := s.Hello
	if hello == "" {
		hello = "localhost"
	}
	if err := c.Hello(hello); err != nil {
		return fmt.Errorf("mail server %s: EHLO: %w", s.Addr, err)
	}
	secure := false
	if ok, _ := c.Extension("STARTTLS"); ok {
		conf := &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
		if s.TLS != nil {
			conf = s.TLS.Clone()
			if conf.ServerName == "" {
				conf.ServerName = host
			}
		}
		if err := c.StartTLS(conf); err != nil {
			return fmt.Errorf("mail server %s: STARTTLS: %w", s.Addr, err)
		}
		secure = true
	} else if s.RequireTLS {
		return fmt.Errorf("mail server %s does not offer STARTTLS, which --smtp-starttls requires", s.Addr)
	}
	if s.Username != "" {
		if !secure && !isLoopback(host) {
			return fmt.Errorf("mail server %s: refusing to send the password without TLS", s.Addr)
		}
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, host)); err != nil {
			return fmt.Errorf("mail server %s: AUTH: %w", s.Addr, err)
		}
	}
	if err := c.Mail(from.Address); err != nil {
		return fmt.Errorf("mail server %s: MAIL FROM: %w", s.Addr, err)
	}
	if err := c.Rcpt(to.Address); err != nil {
		return fmt.Errorf("mail server %s: RCPT TO: %w", s.Addr, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail server %s: DATA: %w", s.Addr, err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("mail server %s: DATA: %w", s.Addr, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail server %s: the message was not accepted: %w", s.Addr, err)
	}
	// Once the server has accepted the data, the message is its to deliver: a failed QUIT changes nothing.
	c.Quit()
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// FormatMail returns the e-mail d as sent from the address from at now (RFC 5322, MIME): a plain text body in
// UTF-8, quoted-printable, the subject encoded as an RFC 2047 word when it is not plain ASCII, and a Message-ID made
// of the delivery's ID, the same on every retry, so that a mailbox that receives it twice shows it once.
func FormatMail(from string, d cleared.Delivery, now time.Time) ([]byte, error) {
	sender, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("sender address %q: %v", truncate(from, 80), err)
	}
	to, err := mail.ParseAddress(d.Address)
	if err != nil {
		return nil, fmt.Errorf("recipient address %q: %v", truncate(d.Address, 80), err)
	}
	domain := sender.Address[strings.LastIndexByte(sender.Address, '@')+1:]
	subject := strings.Join(strings.Fields(d.Subject), " ")
	var b bytes.Buffer
	header := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	header("From", (&mail.Address{Name: "cleared", Address: sender.Address}).String())
	header("To", (&mail.Address{Address: to.Address}).String())
	header("Subject", mime.QEncoding.Encode("utf-8", subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+string(d.ID)+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated")
	header("X-Cleared-Delivery", string(d.ID))
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write(d.Body); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
