;;; dexter-eglot.el --- Dexter LS through eglot -*- lexical-binding: t; -*-

;; Copyright (C) 2026 The Dexter LS authors

;; This file is not part of GNU Emacs.

;;; Commentary:

;; eglot runs ONE language server per buffer.  A buffer that eglot
;; connects to Dexter therefore has no other LSP server; the diagnostics
;; Dexter explains come from flymake backends (python-flymake,
;; flymake-ruff, flymake-collection, ...) or flycheck, which this
;; package forwards to Dexter with `dexter/didChangeDiagnostics'.
;; eglot's code-action request carries only its own server's
;; diagnostics (none, for Dexter): the server offers its action for the
;; forwarded diagnostics overlapping the range.
;;
;; To keep another LSP server (pyright, rust-analyzer) for completion
;; and navigation, use lsp-mode, which runs Dexter as an add-on beside
;; it (dexter-lsp.el), or put both servers behind an LSP multiplexing
;; proxy and point eglot at the proxy.
;;
;; Setup: (dexter-eglot-setup '(python-mode)) then M-x eglot.

;;; Code:

(require 'cl-lib)
(require 'eglot)
(require 'jsonrpc)
(require 'dexter)

(defcustom dexter-eglot-modes '(python-mode)
  "Major modes `dexter-eglot-setup' connects to Dexter by default."
  :type '(repeat symbol)
  :group 'dexter)

(defcustom dexter-eglot-keep-flymake-backends t
  "Non-nil: keep the buffer's other flymake backends when eglot runs Dexter.
eglot replaces them with its own backend, which shows only what the
server publishes (Dexter publishes nothing); Dexter explains what the
other backends find."
  :type 'boolean
  :group 'dexter)

(defclass dexter-eglot-server (eglot-lsp-server) ()
  :documentation "A Dexter LS connection: renders explanations itself.")

(defvar dexter-eglot--running nil
  "The explanation request in flight, as (SERVER . ID), to cancel it.")

;;;###autoload
(defun dexter-eglot-contact (&optional _interactive)
  "The eglot contact for Dexter: its server class and command line."
  (cons 'dexter-eglot-server dexter-server-command))

;;;###autoload
(defun dexter-eglot-setup (&optional modes)
  "Make eglot start Dexter LS in MODES (default `dexter-eglot-modes').
This replaces any other server eglot had for those modes: eglot runs one
server per buffer."
  (interactive)
  (let ((modes (or modes dexter-eglot-modes)))
    (setq eglot-server-programs
          (cons (cons modes #'dexter-eglot-contact)
                (cl-remove-if (lambda (entry) (equal (car entry) modes))
                              eglot-server-programs)))))

(defun dexter-eglot-current-server ()
  "The Dexter server eglot connected the current buffer to, or nil."
  (let ((server (and (eglot-managed-p) (eglot-current-server))))
    (and (cl-typep server 'dexter-eglot-server) server)))

(defun dexter-eglot--server-or-lose ()
  "The current buffer's Dexter server, or signal a user error."
  (or (dexter-eglot-current-server)
      (user-error "Dexter LS is not the eglot server of this buffer")))

(cl-defmethod eglot-client-capabilities :around ((_server dexter-eglot-server))
  "Add `experimental.dexterExplanationView' to eglot's capabilities."
  (let ((capabilities (cl-call-next-method)))
    (plist-put capabilities :experimental '(:dexterExplanationView t))))

(cl-defmethod eglot-initialization-options ((_server dexter-eglot-server))
  "The section `dexter' of the settings."
  (or (dexter-settings-section) (make-hash-table)))

(defun dexter-eglot--merge (base overrides)
  "The plist BASE with the keys of the plist OVERRIDES set."
  (let ((merged (and (consp base) (keywordp (car base)) (copy-sequence base))))
    (cl-loop for (key value) on overrides by #'cddr
             do (setq merged (plist-put merged key value)))
    merged))

(cl-defmethod eglot-handle-request
  ((server dexter-eglot-server) (_method (eql workspace/configuration)) &key items)
  "Answer SERVER's `workspace/configuration' request for ITEMS.
The section `dexter' comes from the package's options, which win over a
:dexter section in `eglot-workspace-configuration'."
  (let ((answers (cl-call-next-method))
        (buffer (car (eglot--managed-buffers server))))
    (with-current-buffer (if (buffer-live-p buffer) buffer (current-buffer))
      (vconcat
       (cl-mapcar (lambda (item answer)
                    (if (equal (plist-get item :section) "dexter")
                        (or (dexter-eglot--merge answer (dexter-settings-section))
                            (make-hash-table))
                      answer))
                  (append items nil) (append answers nil))))))

(cl-defmethod eglot-handle-notification
  ((_server dexter-eglot-server) (_method (eql dexter/explanationChunk)) &rest params)
  "Append the streamed text in PARAMS to its explanation."
  (dexter-view-chunk params))

(cl-defmethod eglot-handle-notification
  ((_server dexter-eglot-server) (_method (eql $/progress)) &rest params)
  "Show the progress PARAMS of an explanation in its buffer."
  (dexter-view-progress params))

(defun dexter-eglot--explain-command (arguments)
  "Run `dexter.explain' with ARGUMENTS (from a code action) from Emacs."
  (dexter-explain-target (aref arguments 0)
                         (and (> (length arguments) 1)
                              (dexter-get (aref arguments 1) :model))))

(cl-defmethod eglot-execute-command ((_server dexter-eglot-server) command arguments)
  "Show `dexter.explain' (COMMAND) of ARGUMENTS in the explanation buffer.
eglot would send it and drop the result; other commands go as usual."
  (if (equal (format "%s" command) "dexter.explain")
      (dexter-eglot--explain-command arguments)
    (cl-call-next-method)))

;; eglot 1.14 and later run code actions through `eglot-execute'.
(when (fboundp 'eglot-execute)
  (cl-defmethod eglot-execute ((_server dexter-eglot-server) action)
    "Show a `dexter.explain' ACTION in the explanation buffer."
    (let* ((command (plist-get action :command))
           (command (if (stringp command) action command)))
      (if (equal (plist-get command :command) "dexter.explain")
          (dexter-eglot--explain-command (plist-get command :arguments))
        (cl-call-next-method)))))

(defun dexter-eglot--cancel-running ()
  "Cancel the explanation still running, if any."
  (when-let ((running dexter-eglot--running))
    (setq dexter-eglot--running nil)
    (when (jsonrpc-running-p (car running))
      (jsonrpc-notify (car running) '$/cancelRequest (list :id (cdr running))))))

(cl-defmethod dexter-client-execute ((_client (eql eglot)) command arguments on-result on-error
                                     &optional token)
  "Run COMMAND with ARGUMENTS on the buffer's Dexter server.
Call ON-RESULT with the result or ON-ERROR with a message.  TOKEN is the
work-done progress token, if any."
  (let* ((server (dexter-eglot--server-or-lose))
         (explain (equal command "dexter.explain"))
         (done (lambda () (when (and explain dexter-eglot--running
                                     (eq (car dexter-eglot--running) server))
                            (setq dexter-eglot--running nil)))))
    (when explain
      (dexter-eglot--cancel-running))
    (let ((request (jsonrpc-async-request
                    server :workspace/executeCommand
                    (append (list :command command)
                            (and arguments (list :arguments arguments))
                            (and token (list :workDoneToken token)))
                    :success-fn (lambda (result) (funcall done) (funcall on-result result))
                    :error-fn (lambda (error)
                                (funcall done)
                                (funcall on-error (or (plist-get error :message)
                                                      (format "%S" error))))
                    :timeout dexter-request-timeout
                    :timeout-fn (lambda () (funcall done) (funcall on-error "timed out")))))
      (when explain
        (setq dexter-eglot--running (cons server (car request)))))))

(cl-defmethod dexter-client-notify ((_client (eql eglot)) method params)
  "Send METHOD with PARAMS to the buffer's Dexter server, if any."
  (when-let ((server (dexter-eglot-current-server)))
    (jsonrpc-notify server (intern method) params)))

(cl-defmethod dexter-client-uri ((_client (eql eglot)))
  "The URI eglot gives the current buffer."
  (plist-get (eglot--TextDocumentIdentifier) :uri))

(cl-defmethod dexter-client-position ((_client (eql eglot)) pos)
  "The LSP position of POS, with eglot's column counting."
  (eglot--pos-to-lsp-position pos))

(defvar eglot--saved-bindings)

(defun dexter-eglot--keep-flymake-backends ()
  "Put back the flymake backends eglot replaced with its own.
eglot 1.9 sets `flymake-diagnostic-functions' to its backend alone; the
diagnostics Dexter explains come from the others.  eglot restores the
original value itself when it stops managing the buffer."
  (let ((saved (and (boundp 'eglot--saved-bindings)
                    (assq 'flymake-diagnostic-functions eglot--saved-bindings))))
    (when saved
      (setq-local flymake-diagnostic-functions
                  (append (cl-remove 'eglot-flymake-backend (cdr saved))
                          (list #'eglot-flymake-backend)))
      (when (bound-and-true-p flymake-mode)
        (flymake-start)))))

(defun dexter-eglot--managed ()
  "Attach to or detach from the buffer eglot now manages or released."
  (cond ((dexter-eglot-current-server)
         (when dexter-eglot-keep-flymake-backends
           (dexter-eglot--keep-flymake-backends))
         (dexter-attach 'eglot))
        ((eq dexter--client 'eglot) (dexter-detach))))

(add-hook 'eglot-managed-mode-hook #'dexter-eglot--managed)

(provide 'dexter-eglot)
;;; dexter-eglot.el ends here
